package dev.sightline.agent.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

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
 */
@Validated
@ConfigurationProperties(ModelSettings.PREFIX)
public record ModelSettings(
		@DefaultValue("in-process") @Pattern(regexp = "in-process|openai",
				message = "must be 'in-process' or 'openai'") String backend,
		@DefaultValue("Qwen/Qwen2.5-VL-3B-Instruct") @NotBlank String path,
		@DefaultValue("http://127.0.0.1:8000/v1") @NotBlank String baseUrl,
		@DefaultValue("Qwen/Qwen2.5-VL-3B-Instruct") @NotBlank String name, @DefaultValue("") String apiKey) {

	public static final String PREFIX = "sightline.model";

}
