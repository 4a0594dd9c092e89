package dev.sightline.vision.qwen.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.sightline.vision.weights.Precision;

/**
 * The SwiGLU MLP of both families' decoders and of the Qwen2.5-VL vision tower (spec §6.4, §7.1):
 * {@code down(silu(gate(x)) * up(x))}. The gated product is where activations outgrow float16 (llama.cpp #17534):
 * under a mixed {@link Precision} it is formed wide and enters the down projection row-scaled
 * ({@link Precision#downProjection}); otherwise it is computed as the reference does.
 *
 * @param gate {@code [intermediate, hidden]} (with bias {@code [intermediate]} in the vision tower)
 * @param up {@code [intermediate, hidden]} (likewise)
 * @param down {@code [hidden, intermediate]} (with bias {@code [hidden]} in the vision tower)
 */
public record GatedMlp(Linear gate, Linear up, Linear down) {

	/**
	 * @param normed the normed input in the weights' dtype
	 * @param linear how this part runs a linear layer ({@link Linear#apply} or {@link Linear#applyPlain})
	 * @return the MLP output in the residual dtype
	 */
	public NDArray apply(NDArray normed, Precision precision, Precision.Linear linear) {
		NDArray wideGate = precision.toResidual(linear.apply(normed, gate.weight(), gate.bias()));
		NDArray wideUp = precision.toResidual(linear.apply(normed, up.weight(), up.bias()));
		NDArray product = wideGate.mul(Activation.sigmoid(wideGate)).mul(wideUp);
		return precision.downProjection(product, down.weight(), down.bias(), linear);
	}

}
