package dev.sightline.agent.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

class ModelSettingsTest {

	@Configuration
	@EnableConfigurationProperties(ModelSettings.class)
	@Import(ModelSettingsBinding.class)
	static class Config {

	}

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@Test
	void defaultsToTheInProcess3bModel() {
		contexts.run(context -> {
			ModelSettings settings = context.getBean(ModelSettings.class);
			assertThat(settings.backend()).isEqualTo(ModelSettings.Backend.IN_PROCESS);
			assertThat(settings.path()).isEqualTo("Qwen/Qwen2.5-VL-3B-Instruct");
		});
	}

	@Test
	void bindsAnOpenAiBackendFromRelaxedKeys() {
		contexts.withPropertyValues("sightline.model.backend=openai", "sightline.model.base-url=http://127.0.0.1:9/v1")
			.run(context -> {
				assertThat(context.getBean(ModelSettings.class).backend()).isEqualTo(ModelSettings.Backend.OPENAI);
				assertThat(context.getBean(ModelSettings.class).baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
			});
	}

	@Test
	void bindsTheInProcessComputeTypeAndDevice() {
		contexts.withPropertyValues("sightline.model.dtype=auto-gpu")
			.run(context -> assertThat(context.getBean(ModelSettings.class).dtype())
				.isEqualTo(dev.sightline.vision.weights.ComputeType.AUTO_GPU));
		contexts.withPropertyValues("sightline.model.dtype=fp16", "sightline.model.device=gpu:1").run(context -> {
			ModelSettings settings = context.getBean(ModelSettings.class);
			assertThat(settings.loadOptions().computeType()).isEqualTo(dev.sightline.vision.weights.ComputeType.FP16);
			assertThat(settings.loadOptions().device().value()).isEqualTo("gpu:1");
		});
	}

	@Test
	void rejectsAnUnknownDtypeOrDeviceNamingTheAllowedValues() {
		contexts.withPropertyValues("sightline.model.dtype=bf16")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be auto, fp32, fp16 or auto-gpu"));
		contexts.withPropertyValues("sightline.model.device=tpu")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be auto, cpu or gpu:N"));
	}

	@Test
	void rejectsAnUnknownBackendNamingTheAllowedValues() {
		contexts.withPropertyValues("sightline.model.backend=tensorflow")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be 'in-process' or 'openai'"));
	}

	@Test
	void bindsTheModelProfileWithAutoAsItsDefault() {
		contexts.run(context -> assertThat(context.getBean(ModelSettings.class).profile()).isEqualTo("auto"));
		contexts.withPropertyValues("sightline.model.profile=ui-tars-1.5")
			.run(context -> assertThat(context.getBean(ModelSettings.class).profile()).isEqualTo("ui-tars-1.5"));
	}

	@Test
	void rejectsAnUnknownProfileNamingTheAllowedValues() {
		contexts.withPropertyValues("sightline.model.profile=qwen3")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("must be auto, qwen2.5-vl, qwen3-vl or ui-tars-1.5"));
	}

	@Test
	void bindsThePrefixCacheBudgetIntoTheLoadOptionsWith1024MibAsItsDefault() {
		contexts.run(context -> assertThat(context.getBean(ModelSettings.class).loadOptions().prefixCacheBytes())
			.isEqualTo(1024L << 20));
		contexts.withPropertyValues("sightline.model.prefix-cache-mb=0")
			.run(context -> assertThat(context.getBean(ModelSettings.class).loadOptions().prefixCacheBytes())
				.isZero());
		contexts.withPropertyValues("sightline.model.prefix-cache-mb=-1")
			.run(context -> assertThat(context).hasFailed());
	}

}
