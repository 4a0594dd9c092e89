package dev.sightline.e2e;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.sightline.e2e.support.Platform;
import dev.sightline.e2e.support.Pngs;
import dev.sightline.tools.desktop.DesktopSession;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/** A desktop task on a real Xvfb display: the model sees the display smart-resized and its click lands on it. */
class DesktopTaskIT {

	@TempDir
	Path storeDir;

	@Test
	void clicksOnAnXDisplayAndSucceeds() throws Exception {
		try (DesktopSession display = DesktopSession.startXvfb(1024, 768);
				ScriptedModelServer model = ScriptedModelServer.start();
				Platform platform = Platform.start(Map.of("sightline.model.backend", "openai",
						"sightline.model.base-url", model.baseUrl(), "sightline.model.max-retries", 0,
						"sightline.store.dir", storeDir.toString(),
						// The operator allows this one existing display and says where its cookie is.
						"sightline.desktop.allowed-displays", display.display(), "sightline.desktop.xauthority",
						display.authFile().orElseThrow().toString()))) {
			model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [518, 378]}"),
					Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
			String id = platform.submit(null, """
					{"goal": "Click the middle", "target": {"type": "desktop", "display": "%s"}}"""
				.formatted(display.display()));

			JsonNode task = platform.awaitFinal(null, id, 60_000);

			assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("succeeded");
			JsonNode coordinates = platform.get("/api/v1/tasks/" + id + "/steps", null).json().get(0).get("coordinates");
			// 1024x768 smart-resizes to 1036x756: (518, 378) in the model's image is (512, 384) on the display.
			assertThat(coordinates.get("modelImageWidthPx").asInt()).isEqualTo(1036);
			assertThat(coordinates.get("modelImageHeightPx").asInt()).isEqualTo(756);
			assertThat(coordinates.get("screenXCssPx").asDouble()).isEqualTo(512.0);
			assertThat(coordinates.get("screenYCssPx").asDouble()).isEqualTo(384.0);
			assertThat(model.requests().get(0).allText()).contains("The screen's resolution is 1036x756.");
			assertThat(Pngs.size(platform.getBytes("/api/v1/tasks/" + id + "/steps/1/screenshot", null)))
				.containsExactly(1024, 768);
		}
	}

}
