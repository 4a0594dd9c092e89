package dev.sightline.agent.model;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/info}'s {@code model}: backend, name, readiness and, for an in-process model, what it runs on
 * (engine, libtorch version and flavour, device, dtypes per part, weights' memory).
 */
@Component
class ModelInfoContributor implements InfoContributor {

	private final ModelBackend backend;

	ModelInfoContributor(ModelBackend backend) {
		this.backend = backend;
	}

	@Override
	public void contribute(Info.Builder builder) {
		ModelState state = backend.state();
		builder.withDetail("model", new ModelInfo(state.backend(), state.name(), state.ready(),
				backend.loadedRuntime().map(runtime -> runtime.asMap()).orElse(null)));
	}

	/** @param runtime what an in-process model runs on, as vision-runtime describes it; absent until loaded */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record ModelInfo(String backend, String name, boolean ready, @Nullable Map<String, Object> runtime) {
	}

}
