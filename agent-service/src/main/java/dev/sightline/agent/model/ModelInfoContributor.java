package dev.sightline.agent.model;

import java.util.LinkedHashMap;
import java.util.Map;

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
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("backend", state.backend());
		model.put("name", state.name());
		model.put("ready", state.ready());
		backend.loadedRuntime().ifPresent(runtime -> model.put("runtime", runtime.asMap()));
		builder.withDetail("model", model);
	}

}
