package dev.sightline.agent.redis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's decisions and cancels reach the worker that runs the task from any replica: the task waits for approval
 * on a worker replica while a person approves or rejects it through an API replica, and a cancel through the API
 * replica stops the worker's loop. Real replicas, Redis, Chromium and HTTP; the scripted model server is the only
 * double.
 */
class CrossReplicaControlIT {

	private static final Reply CLICK = Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [60, 30]}");

	private static final Reply DONE = Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}");

	private static final Reply SLOW_CLICK = CLICK.afterMs(1_500);

	@RegisterExtension
	static final RedisAndPage fixture = new RedisAndPage();

	@TempDir
	Path dir;

	private Map<String, Object> properties(String prefix, String role, ScriptedModelServer model, String name)
			throws Exception {
		return fixture.properties(dir, prefix, role, model, name);
	}

	/** Every click on the page waits for a person. */
	private Map<String, Object> clicksNeedApproval(Map<String, Object> properties) {
		properties.put("sightline.agent.approval.rules[0].on", "click");
		properties.put("sightline.agent.approval.rules[0].hosts", fixture.pageHost());
		return properties;
	}

	@Test
	void aTaskWaitingOnAWorkerIsApprovedThroughAnApiReplicaAndFinishes() throws Exception {
		String prefix = "approve" + UUID.randomUUID().toString().substring(0, 8);
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext api = Replicas.inJvm(clicksNeedApproval(properties(prefix, "api", model,
						"api")));
				ConfigurableApplicationContext worker = Replicas.inJvm(clicksNeedApproval(properties(prefix, "worker",
						model, "w")))) {
			model.enqueue(CLICK, DONE);
			String apiBase = Replicas.base(api);
			String id = Replicas.submit(apiBase, fixture.pageUrl());

			JsonNode waiting = Replicas.awaitStatus(apiBase, id, List.of("awaiting_approval"), 60_000);
			assertThat(waiting.get("steps").asInt()).isZero();
			Replicas.Answer approved = Replicas.post(apiBase, "/api/v1/tasks/" + id + "/approve",
					"{\"comment\": \"go ahead\"}");
			assertThat(approved.status()).as(approved.body()).isEqualTo(202);
			Replicas.Answer again = Replicas.post(apiBase, "/api/v1/tasks/" + id + "/reject", "");
			assertThat(again.status()).as("the first decision wins").isEqualTo(409);

			JsonNode done = Replicas.awaitFinal(apiBase, id, 60_000);
			assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("succeeded");
			List<Integer> numbers = new ArrayList<>();
			Replicas.get(apiBase, "/api/v1/tasks/" + id + "/steps").json()
				.forEach(step -> numbers.add(step.get("n").asInt()));
			assertThat(numbers).containsExactly(1, 2);
			assertThat(Replicas.get(apiBase, "/api/v1/tasks/" + id + "/events").body())
				.contains("event:approval_requested")
				.contains("event:approval_decided")
				.contains("\"approved\":true")
				.contains("go ahead");
			var template = fixture.redis().template();
			try {
				assertThat(template.hasKey(prefix + ":approval:" + id)).as("the gate is closed").isFalse();
			}
			finally {
				RedisSupport.close(template);
			}
		}
	}

	@Test
	void aRejectionThroughAnApiReplicaFailsTheTaskOnTheWorker() throws Exception {
		String prefix = "reject" + UUID.randomUUID().toString().substring(0, 8);
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext api = Replicas.inJvm(clicksNeedApproval(properties(prefix, "api", model,
						"api")));
				ConfigurableApplicationContext worker = Replicas.inJvm(clicksNeedApproval(properties(prefix, "worker",
						model, "w")))) {
			model.enqueue(CLICK);
			String apiBase = Replicas.base(api);
			String id = Replicas.submit(apiBase, fixture.pageUrl());
			Replicas.awaitStatus(apiBase, id, List.of("awaiting_approval"), 60_000);

			Replicas.Answer rejected = Replicas.post(apiBase, "/api/v1/tasks/" + id + "/reject",
					"{\"comment\": \"not this one\"}");

			assertThat(rejected.status()).as(rejected.body()).isEqualTo(202);
			JsonNode done = Replicas.awaitFinal(apiBase, id, 60_000);
			assertThat(done.get("status").asString()).isEqualTo("failed");
			assertThat(done.get("message").asString()).contains("rejected by a person: step 1 would left_click")
				.contains("comment: not this one");
		}
	}

	@Test
	void aCancelThroughTheApiReplicaStopsTheLoopOnTheWorker() throws Exception {
		String prefix = "cancel" + UUID.randomUUID().toString().substring(0, 8);
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext api = Replicas.inJvm(properties(prefix, "api", model, "api"));
				ConfigurableApplicationContext worker = Replicas.inJvm(properties(prefix, "worker", model, "w"))) {
			// The model never terminates: only the cancel can end this task before its 50 steps.
			model.whenExhausted(SLOW_CLICK);
			String apiBase = Replicas.base(api);
			String id = Replicas.post(apiBase, "/api/v1/tasks", """
					{"goal": "Press the button forever", "target": {"type": "browser", "url": "%s"}, "maxSteps": 50}"""
				.formatted(fixture.pageUrl())).json().get("id").asString();
			assertThat(model.awaitRequests(2, 60_000)).isTrue();

			Replicas.Answer cancelled = Replicas.post(apiBase, "/api/v1/tasks/" + id + "/cancel", "");

			assertThat(cancelled.status()).as(cancelled.body()).isIn(200, 202);
			JsonNode task = Replicas.awaitFinal(apiBase, id, 10_000);
			assertThat(task.get("status").asString()).isEqualTo("cancelled");
			// The worker notices within a poll and stops: at most the model call in flight completes.
			Thread.sleep(4_000);
			int requests = model.requests().size();
			Thread.sleep(4_000);
			assertThat(model.requests()).as("no model calls after the worker stopped").hasSize(requests);
			assertThat(Replicas.get(apiBase, "/api/v1/tasks/" + id).json().get("status").asString())
				.isEqualTo("cancelled");
		}
	}

}
