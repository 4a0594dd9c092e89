package dev.sightline.e2e;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.sightline.e2e.support.FixtureSite;
import dev.sightline.e2e.support.Platform;
import dev.sightline.e2e.support.Pngs;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser tasks end to end: real Chromium on a local multi-page site, the real service over HTTP, and the scripted
 * model server as the only double. The viewport is 1280x720, so the model sees 1288x728 and answers in those pixels.
 */
class BrowserTaskFlowIT {

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
				"sightline.model.max-retries", 0,
				"sightline.store.dir", storeDir.toString(), "sightline.browser.allowed-hosts", site.hostPort(),
				"sightline.security.api-keys", "alice=" + ALICE, "sightline.agent.concurrency", 1));
	}

	@AfterAll
	static void stop() {
		platform.close();
		site.close();
		model.close();
	}

	static String task(String page, String goal, String extra) {
		return """
				{"goal": "%s", "target": {"type": "browser", "url": "%s", "viewport": {"width": 1280, "height": 720}},
				 "maxSteps": 6%s}""".formatted(goal, site.url(page), extra);
	}

	@Test
	void clicksThroughALocalSiteAndSucceeds() throws Exception {
		int before = model.requests().size();
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [302, 201]}"),
				Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [906, 404]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = platform.submit(ALICE, task("index.html", "Buy the lamp", ""));

		JsonNode task = platform.awaitFinal(ALICE, id, 60_000);

		assertThat(task.get("status").asString()).isEqualTo("succeeded");
		assertThat(task.get("steps").asInt()).isEqualTo(3);
		assertThat(site.requests()).contains("/catalog.html", "/done.html");
		JsonNode steps = platform.get("/api/v1/tasks/" + id + "/steps", ALICE).json();
		assertThat(steps).hasSize(3);
		JsonNode first = steps.get(0);
		assertThat(first.get("action").get("action").asString()).isEqualTo("left_click");
		JsonNode coordinates = first.get("coordinates");
		assertThat(coordinates.get("modelImageWidthPx").asInt()).isEqualTo(1288);
		assertThat(coordinates.get("modelImageHeightPx").asInt()).isEqualTo(728);
		assertThat(coordinates.get("screenXCssPx").asDouble()).isCloseTo(300, org.assertj.core.data.Offset.offset(2.0));
		assertThat(coordinates.get("screenYCssPx").asDouble()).isCloseTo(200, org.assertj.core.data.Offset.offset(2.0));
		assertThat(first.get("timings").get("modelMs").asDouble()).isPositive();
		byte[] png = platform.getBytes("/api/v1/tasks/" + id + "/steps/1/screenshot", ALICE);
		assertThat(Pngs.size(png)).containsExactly(1280, 720);
		ScriptedModelServer.RecordedRequest request = model.requests().get(before);
		assertThat(request.json().get("model").asText()).isEqualTo("scripted-qwen");
		assertThat(request.allText()).contains("The screen's resolution is 1288x728.").contains("Buy the lamp");
		assertThat(request.imageUrls()).hasSize(1);
		assertThat(Pngs.size(Pngs.fromDataUrl(request.imageUrls().get(0)))).containsExactly(1288, 728);
		assertThat(model.requests().get(before + 1).allText()).contains("left_click");
		Platform.Answer phases = platform.get("/actuator/metrics/sightline.step.phase", ALICE);
		assertThat(phases.status()).isEqualTo(200);
		assertThat(phases.body()).contains("\"phase\"").contains("overhead").contains("screenshot");
		assertThat(platform.get("/actuator/metrics/sightline.tasks", ALICE).body()).contains("succeeded");
		assertThat(platform.get("/actuator/metrics/sightline.model.tokens", ALICE).status()).isEqualTo(200);
		assertThat(platform.get("/actuator/health", ALICE).body()).contains("\"reachable\":true");
	}

	@Test
	void streamsEventsAndReplaysWhatAReconnectingClientMissed() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = platform.submit(ALICE, task("done.html", "Check the order", ""));
		platform.awaitFinal(ALICE, id, 60_000);

		List<Platform.SseEvent> all = platform.events(ALICE, id, null);
		assertThat(all).extracting(Platform.SseEvent::name)
			.containsSubsequence("queued", "started", "step_started", "model_output", "action", "step_finished",
					"finished");
		Platform.SseEvent third = all.get(2);
		List<Platform.SseEvent> replay = platform.events(ALICE, id, third.id());
		assertThat(replay).isEqualTo(all.subList(3, all.size()));
		assertThat(all.get(all.size() - 1).data()).contains("succeeded");
	}

	@Test
	void reasksAfterGarbageAndThenActs() throws Exception {
		int before = model.requests().size();
		model.enqueue(Reply.text("I would click the green button, I think."),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = platform.submit(ALICE, task("index.html", "Look at the shop", ""));

		JsonNode task = platform.awaitFinal(ALICE, id, 60_000);

		assertThat(task.get("status").asString()).isEqualTo("succeeded");
		assertThat(model.requests()).hasSize(before + 2);
		String reask = model.requests().get(before + 1).allText();
		assertThat(reask).contains("I would click the green button").contains("could not be used");
	}

	@Test
	void cancelsATaskWhileTheModelIsAnswering() throws Exception {
		int before = model.requests().size();
		model.enqueue(Reply.toolCall("{\"action\": \"wait\", \"time\": 1}").afterMs(20_000));
		String id = platform.submit(ALICE, task("index.html", "Wait forever", ""));
		assertThat(model.awaitRequests(before + 1, 30_000)).isTrue();

		Platform.Answer cancel = platform.post("/api/v1/tasks/" + id + "/cancel", ALICE, "");
		JsonNode task = platform.awaitFinal(ALICE, id, 5_000);

		assertThat(cancel.status()).isEqualTo(202);
		assertThat(task.get("status").asString()).isEqualTo("cancelled");
		assertThat(platform.post("/api/v1/tasks/" + id + "/cancel", ALICE, "").status()).isEqualTo(409);
	}

	@Test
	void timesOutWhenTheModelIsTooSlow() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"wait\", \"time\": 1}").afterMs(15_000));
		String id = platform.submit(ALICE, task("index.html", "Wait", ", \"timeoutSeconds\": 3"));

		JsonNode task = platform.awaitFinal(ALICE, id, 15_000);

		assertThat(task.get("status").asString()).isEqualTo("timed_out");
		assertThat(task.get("message").asString()).contains("timed out after 3 s");
	}

	@Test
	void noticesAClickThatChangedNothing() throws Exception {
		int before = model.requests().size();
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [1100, 650]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"failure\"}"));
		String id = platform.submit(ALICE, task("done.html", "Click the empty corner", ""));

		JsonNode task = platform.awaitFinal(ALICE, id, 60_000);

		assertThat(task.get("status").asString()).isEqualTo("failed");
		assertThat(task.get("message").asString()).contains("the model gave up");
		JsonNode steps = platform.get("/api/v1/tasks/" + id + "/steps", ALICE).json();
		assertThat(steps.get(0).get("outcome").asString()).doesNotContain("screen unchanged");
		assertThat(steps.get(1).get("outcome").asString()).startsWith("screen unchanged after the previous action");
		assertThat(model.requests().get(before + 1).allText()).contains("(the screen did not change after step 1)");
	}

}
