package dev.sightline.vision.qwen.config;

import java.util.Arrays;
import java.util.stream.Collectors;

import dev.sightline.vision.weights.CheckpointException;

/**
 * The MLP activations the families' configs name ({@code hidden_act}) that this runtime implements: SiLU in
 * Qwen2.5-VL's gated MLPs and Qwen3-VL's decoder, tanh-approximated GELU in Qwen3-VL's vision MLP.
 */
public enum HiddenAct {

	SILU("silu"), GELU_PYTORCH_TANH("gelu_pytorch_tanh");

	private final String configName;

	HiddenAct(String configName) {
		this.configName = configName;
	}

	/** The name {@code config.json} writes. */
	public String configName() {
		return configName;
	}

	/**
	 * @param key the config key, for the message ({@code hidden_act}, {@code vision_config.hidden_act})
	 * @param name the config's value
	 * @param required the activation the model's layers are written for
	 * @throws CheckpointException naming the key, the value and the one supported
	 */
	public static HiddenAct require(String key, String name, HiddenAct required) {
		if (!required.configName.equals(name)) {
			String known = Arrays.stream(values()).map(HiddenAct::configName).collect(Collectors.joining(", "));
			throw new CheckpointException("config.json: " + key + " '" + name + "' is not supported (only "
					+ required.configName + " there; this runtime knows " + known + ")");
		}
		return required;
	}

}
