package dev.sightline.agent.config;

import java.util.Locale;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * Which model answers the agent: {@code sightline.model.*}. Every key also binds from the environment
 * ({@code SIGHTLINE_MODEL_BACKEND}, {@code SIGHTLINE_MODEL_BASE_URL}, ...).
 *
 * @param backend {@code in-process} (Qwen2.5-VL on DJL in this JVM, default) or {@code openai} (any
 * OpenAI-compatible endpoint)
 * @param path in-process checkpoint directory or Hugging Face hub id
 * @param baseUrl base URL of the OpenAI-compatible endpoint
 * @param name model name sent to the endpoint
 * @param apiKey key for the endpoint; empty for none
 * @param timeoutSeconds time limit of one model call to the endpoint
 * @param maxRetries retries of a failed call to the endpoint (connection errors, 5xx, 429)
 * @param minPixels smallest area screenshots are resized to before the model sees them (spec §4.2)
 * @param maxPixels largest area screenshots are resized to; 1280x720 fits without down-scaling at the default
 * @param maxNewTokens upper bound on tokens the model may generate per step
 * @param dtype in-process dtype policy (bound from the same strings by {@link ModelSettingsBinding}): {@code auto} (fp32 on CPU, auto-gpu on a GPU: fp16 weights with fp32
 * residual streams), {@code fp32}, {@code fp16} (naive) or {@code auto-gpu}
 * @param device in-process device: {@code auto} (first GPU libtorch sees, else CPU), {@code cpu} or {@code gpu:N}
 * @param profile model family whose prompts, answer grammar and coordinate space are used: {@code auto} (default:
 * from the checkpoint's config.json, else the checkpoint path or served model name), {@code qwen2.5-vl},
 * {@code qwen3-vl} or {@code ui-tars-1.5} (see docs/model-profiles.md)
 * @param prefixCacheMb in-process prefix cache budget in MiB (default 1024; 0 = off): an agent's next step reuses
 * the keys and values of its previous prompt instead of prefilling it again (see docs/model-server.md)
 */
@Validated
@ConfigurationProperties(ModelSettings.PREFIX)
public record ModelSettings(
		@DefaultValue("in-process") Backend backend,
		@DefaultValue("Qwen/Qwen2.5-VL-3B-Instruct") @NotBlank String path,
		@DefaultValue("http://127.0.0.1:8000/v1") @NotBlank String baseUrl,
		@DefaultValue("Qwen/Qwen2.5-VL-3B-Instruct") @NotBlank String name, @DefaultValue("") String apiKey,
		@DefaultValue("120") @Min(1) @Max(3600) int timeoutSeconds, @DefaultValue("2") @Min(0) @Max(10) int maxRetries,
		@DefaultValue("3136") @Min(784) long minPixels, @DefaultValue("1003520") @Min(784) long maxPixels,
		@DefaultValue("256") @Min(16) @Max(8192) int maxNewTokens,
		@DefaultValue("auto") ComputeType dtype,
		@DefaultValue("auto") @Pattern(regexp = "(?i)auto|cpu|gpu(:[0-9]{1,2})?",
				message = "must be auto, cpu or gpu:N") String device,
		@DefaultValue("auto") @Pattern(regexp = "(?i)auto|qwen2\\.5-vl|qwen3-vl|ui-tars-1\\.5",
				message = "must be auto, qwen2.5-vl, qwen3-vl or ui-tars-1.5") String profile,
		@DefaultValue("1024") @Min(0) @Max(1_048_576) long prefixCacheMb) {

	public static final String PREFIX = "sightline.model";

	/** Which kind of model answers; bound from {@code in-process} or {@code openai} ({@link ModelSettingsBinding}). */
	public enum Backend {

		IN_PROCESS, OPENAI;

		public static Backend parse(String value) {
			for (Backend backend : values()) {
				if (backend.wireName().equalsIgnoreCase(value.strip())) {
					return backend;
				}
			}
			throw new IllegalArgumentException(
					PREFIX + ".backend must be 'in-process' or 'openai', got '" + value + "'");
		}

		/** The name users write: {@code in-process} or {@code openai}. */
		public String wireName() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

	}

	/** The in-process load options these settings name (vision-runtime parses and checks the values again). */
	public LoadOptions loadOptions() {
		return LoadOptions.DEFAULTS.withComputeType(dtype)
			.withDevice(new DevicePolicy(device))
			.withPrefixCacheBytes(PrefixCache.megabytes(prefixCacheMb));
	}

	public PixelBudget pixelBudget() {
		return new PixelBudget(minPixels, maxPixels);
	}

}
