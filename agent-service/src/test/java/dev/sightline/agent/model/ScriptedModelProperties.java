package dev.sightline.agent.model;

import org.springframework.test.context.DynamicPropertyRegistry;

import dev.sightline.tools.scripted.ScriptedModelServer;

/** Points a test's service at a {@link ScriptedModelServer} through the OpenAI backend, without retries. */
public final class ScriptedModelProperties {

	private ScriptedModelProperties() {
	}

	public static void register(DynamicPropertyRegistry registry, ScriptedModelServer model) {
		registry.add("sightline.model.backend", () -> "openai");
		registry.add("sightline.model.base-url", model::baseUrl);
		registry.add("sightline.model.max-retries", () -> 0);
	}

}
