package dev.sightline.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Task;

/** Submits tasks on the {@link FamilySite} through the real API and waits for them, for the model-family ITs. */
abstract class ModelFamilyLoopSupport {

	@LocalServerPort
	int port;

	@Autowired
	TaskStore store;

	final HttpClient http = HttpClient.newHttpClient();

	String submit(String goal, String siteHost) throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks", """
				{"goal": "%s", "target": {"type": "browser", "url": "http://%s/"}, "maxSteps": 5,
				 "timeoutSeconds": 60}""".formatted(goal, siteHost));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return response.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
	}

	Task await(String id, Predicate<Task> condition) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
		while (System.nanoTime() < deadline) {
			Task task = store.find(id).orElseThrow();
			if (condition.test(task)) {
				return task;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("task " + id + " never reached the expected state: " + store.find(id));
	}

	HttpResponse<String> post(String path, String json) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
