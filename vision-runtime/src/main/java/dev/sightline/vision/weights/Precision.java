package dev.sightline.vision.weights;

import java.util.Locale;
import java.util.Objects;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The dtypes one part of a model (a vision tower, a text decoder) computes in: {@code weights} is the dtype its
 * weights are stored in and its matmuls run in; {@code residual} the dtype of its residual stream, norm outputs and
 * MLP intermediate. Attention softmax and norm statistics are float32 whatever is chosen.
 * <p>
 * When the two differ (half weights, float32 residual) the part runs <em>mixed</em>: a block adds its half-precision
 * sub-layer outputs into a float32 stream, and its MLP's gated product, which is where Qwen2.5-VL's activations grow
 * past float16's 65504 (llama.cpp #17534: the vision tower's last blocks' down projection), is formed in float32 and
 * enters the down projection divided by its own per-row maximum, the maximum multiplied back in float32
 * ({@link #rowScaledLinear}). A half matmul's output is then bounded by the weight rows' L1 norms, not by the
 * activations.
 */
public record Precision(DataType weights, DataType residual) {

	public static final Precision FP32 = new Precision(DataType.FLOAT32, DataType.FLOAT32);

	/** Everything in float16: the naive half-precision path, kept as a reference; it overflows on some inputs. */
	public static final Precision FP16 = new Precision(DataType.FLOAT16, DataType.FLOAT16);

	/** Float16 weights and matmuls, float32 residual stream, norms, softmax and MLP intermediate. */
	public static final Precision MIXED_FP16 = new Precision(DataType.FLOAT16, DataType.FLOAT32);

	public Precision {
		Objects.requireNonNull(weights, "weights");
		Objects.requireNonNull(residual, "residual");
		if (!weights.isFloating() || !residual.isFloating() || residual.getNumOfBytes() < weights.getNumOfBytes()) {
			throw new IllegalArgumentException(
					"a residual stream must be a floating type at least as wide as the weights, got weights " + weights
							+ " and residual " + residual);
		}
	}

	/** One dtype for everything (the weights' dtype of a checkpoint loaded without a policy). */
	public static Precision uniform(DataType type) {
		return new Precision(type, type);
	}

	public boolean mixed() {
		return weights != residual;
	}

	/** {@code weights/residual}, or one name when they agree: {@code fp16/fp32}, {@code fp32}. */
	public String describe() {
		return mixed() ? name(weights) + "/" + name(residual) : name(weights);
	}

	static String name(DataType type) {
		return switch (type) {
			case FLOAT16 -> "fp16";
			case FLOAT32 -> "fp32";
			case FLOAT64 -> "fp64";
			default -> type.name().toLowerCase(Locale.ROOT);
		};
	}

	/** {@code x} in the matmul dtype. */
	public NDArray toWeights(NDArray x) {
		return x.getDataType() == weights ? x : x.toType(weights, false);
	}

	/** {@code x} in the residual dtype. */
	public NDArray toResidual(NDArray x) {
		return x.getDataType() == residual ? x : x.toType(residual, false);
	}

	/**
	 * {@code x W^T + b} for a wide {@code x [rows, in]} and half {@code weight}: each row is divided by its largest
	 * magnitude before the cast to half and multiplied by it after the matmul, in the wide dtype. A half matmul
	 * keeps its relative precision at any scale, so this costs no accuracy beyond the half product itself while the
	 * output can no longer overflow unless a weight row's L1 norm passes 65504.
	 * @param linear the part's own linear (its kernel choice per device and shape)
	 * @return {@code [rows, out]} in {@code x}'s dtype
	 */
	public NDArray rowScaledLinear(NDArray x, NDArray weight, NDArray bias, Linear linear) {
		NDArray scale = x.abs().max(new int[] { -1 }, true).maximum(Float.MIN_NORMAL); // [rows, 1]
		NDArray product = linear.apply(x.div(scale).toType(weight.getDataType(), false), weight, null)
			.toType(x.getDataType(), false)
			.mul(scale);
		return bias == null ? product : product.add(bias.toType(x.getDataType(), false));
	}

	/**
	 * An MLP's down projection of its activated product {@code x}, which the caller formed in the residual dtype
	 * ({@link #toResidual} of the up/gate outputs): under a mixed precision row-scaled ({@link #rowScaledLinear}),
	 * since this is where activations outgrow float16; otherwise the part's plain linear in the weights' dtype, as
	 * the reference runs it. Shared by every tower and decoder of both model families.
	 * @return {@code [rows, out]}, in the residual dtype when mixed, the weights' otherwise
	 */
	public NDArray downProjection(NDArray x, NDArray weight, NDArray bias, Linear linear) {
		return mixed() ? rowScaledLinear(x, weight, bias, linear) : linear.apply(toWeights(x), weight, bias);
	}

	/** A part's linear layer {@code x W^T + b}. */
	@FunctionalInterface
	public interface Linear {

		NDArray apply(NDArray x, NDArray weight, NDArray bias);

	}

}
