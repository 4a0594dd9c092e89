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
		// Scripted answers are Qwen2.5-VL tool calls whatever name a test gives the model.
		registry.add("sightline.model.profile", () -> "qwen2.5-vl");
	}

}
