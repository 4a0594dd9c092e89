package dev.sightline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.sightline.e2e.support.FixtureSite;
import dev.sightline.e2e.support.Platform;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

/**
 * A JavaScript dialog end to end: the real service and Chromium, the scripted model as the only double. The page
 * asks {@code confirm()}; the model sees the dialog drawn on its next screenshot and answers it with the
 * {@code dialog} action, which the page receives.
 */
class PageDialogsFlowIT {

	static final String ALICE = "alice-key-0123456789abcdef";

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model;

	static FixtureSite site;

	static Platform platform;

	@BeforeAll
	static void start() throws Exception {
		model = ScriptedModelServer.start();
		site = FixtureSite.start();
		platform = Platform.start(Map.of("sightline.model.backend", "openai", "sightline.model.base-url",
				model.baseUrl(), "sightline.model.name", "scripted-qwen", "sightline.model.profile", "qwen2.5-vl",
				"sightline.model.max-retries", 0, "sightline.store.dir", storeDir.toString(),
				"sightline.browser.allowed-hosts", site.hostPort(), "sightline.security.api-keys", "alice=" + ALICE,
				"sightline.agent.concurrency", 1));
	}

	@AfterAll
	static void stop() {
		platform.close();
		site.close();
		model.close();
	}

	@Test
	void theModelSeesAConfirmOnItsScreenshotAndAcceptsIt() throws Exception {
		// The button's centre (250, 140) in CSS px is (252, 142) in the 1288x728 image the model sees.
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [252, 142]}"),
				Reply.toolCall("{\"action\": \"dialog\", \"button\": \"accept\"}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = platform.submit(ALICE, """
				{"goal": "Place the order", "target": {"type": "browser", "url": "%s",
				 "viewport": {"width": 1280, "height": 720}}, "maxSteps": 5}""".formatted(site.url("order.html")));

		JsonNode task = platform.awaitFinal(ALICE, id, 60_000);

		assertThat(task.get("status").asString()).isEqualTo("succeeded");
		assertThat(site.requests()).contains("/done.html?confirmed=1").doesNotContain("/done.html?cancelled=1");
		JsonNode steps = platform.get("/api/v1/tasks/" + id + "/steps", ALICE).json();
		assertThat(steps.get(1).get("action").get("action").asString()).isEqualTo("dialog");
		assertThat(steps.get(1).get("action").get("accept").asBoolean()).isTrue();
		BufferedImage shown = ImageIO.read(new ByteArrayInputStream(
				platform.getBytes("/api/v1/tasks/" + id + "/steps/2/screenshot", ALICE)));
		assertThat(shown.getRGB(880, 34) & 0xFFFFFF).as("the dialog drawn on the step's screenshot").isEqualTo(0xFFFFFF);
		assertThat(shown.getRGB(1000, 600) & 0xFFFFFF).as("the page around it").isEqualTo(0xCCDDEE);
	}

}
