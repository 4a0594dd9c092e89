package dev.sightline.agent.model;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sightline.agent.config.ModelSettings;

/** Picks the backend from {@code sightline.model.backend} unless another {@link ModelBackend} bean exists. */
@Configuration(proxyBeanMethods = false)
public class ModelConfiguration {

	@Bean
	@ConditionalOnMissingBean(ModelBackend.class)
	ModelBackend modelBackend(ModelSettings settings, SchedulerSettings scheduling,
			ObjectProvider<MeterRegistry> meters) {
		if (settings.backend() == ModelSettings.Backend.OPENAI) {
			return new OpenAiModelBackend(settings);
		}
		InProcessModelBackend backend = new InProcessModelBackend(settings, scheduling,
				meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
		backend.startLoading();
		return backend;
	}

	/**
	 * Health component {@code model}: always UP so the service stays UP without a model (it still serves tasks'
	 * history and grounding requests fail clearly); {@code ready}, {@code reason} and {@code fix} tell the truth.
	 */
	@Bean
	HealthIndicator modelHealthIndicator(ModelBackend backend) {
		return () -> {
			ModelState state = backend.state();
			Health.Builder health = Health.up()
				.withDetail("backend", state.backend())
				.withDetail("name", state.name())
				.withDetail("ready", state.ready());
			if (!state.ready()) {
				health.withDetail("reason", state.reason()).withDetail("fix", state.fix());
			}
			ModelState.Progress progress = state.progress();
			if (progress != null) {
				health.withDetail("progress", java.util.Map.of("phase", progress.phase().wireName(), "doneBytes",
						progress.doneBytes(), "totalBytes", progress.totalBytes(), progress.unit() + "Done",
						progress.unitsDone(), progress.unit() + "Total", progress.unitsTotal(), "percent",
						progress.percent()));
			}
			backend.probe()
				.ifPresent(probe -> health.withDetail("reachable", probe.reachable()).withDetail("probe", probe.probe()));
			return health.build();
		};
	}

}
