package dev.sightline.agent.loop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.model.ScriptedModelProperties;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.desktop.DesktopSession;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A desktop task without a display gets its own real Xvfb, sized as asked, which is gone when the task ends. The
 * scripted model server is the only double; it answers slowly so the test sees the display while the task runs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OwnDisplayIT {

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model = ScriptedModelServer.start();

	@LocalServerPort
	int port;

	@Autowired
	TaskStore store;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ScriptedModelProperties.register(registry, model);
		registry.add("sightline.store.dir", () -> storeDir.toString());
		registry.add("sightline.agent.settle-ms", () -> 0);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void startsAnXvfbOfTheTasksOwnAndStopsItWhenTheTaskEnds() throws Exception {
		Set<String> before = displaySockets();
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [518, 378]}").afterMs(1500),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));

		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"goal": "Click the middle", "target": {"type": "desktop", "screen": {"width": 1024, "height": 768}},
						 "timeoutSeconds": 60}"""))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		String id = response.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");

		assertThat(model.awaitRequests(1, 30_000)).isTrue();
		Set<String> during = displaySockets();
		during.removeAll(before);
		assertThat(during).as("a new X display while the task runs").hasSize(1);

		Task task = awaitFinal(id);
		assertThat(task.status()).as(task.message()).isEqualTo(TaskStatus.SUCCEEDED);
		Step first = store.steps(id).get(0);
		assertThat(first.coordinates().screenshotWidthPx()).isEqualTo(1024);
		assertThat(first.coordinates().screenshotHeightPx()).isEqualTo(768);
		assertThat(first.coordinates().screenXCssPx()).isEqualTo(512.0);
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (!displaySockets().equals(before) && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(displaySockets()).as("the task's Xvfb is stopped").isEqualTo(before);
	}

	Task awaitFinal(String id) throws InterruptedException {
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (System.nanoTime() < deadline) {
			Task task = store.find(id).orElseThrow();
			if (task.status().isFinal()) {
				return task;
			}
			Thread.sleep(50);
		}
		throw new AssertionError("task " + id + " did not finish");
	}

	static Set<String> displaySockets() throws IOException {
		// Sockets, not lock files: an Xvfb started with -displayfd writes no /tmp/.X<N>-lock.
		try (Stream<Path> files = Files.list(Path.of("/tmp/.X11-unix"))) {
			return files.map(p -> p.getFileName().toString())
				.filter(name -> name.matches("X[0-9]+"))
				// Only numbers Sightline draws for its own Xvfb: other programs' displays come and go meanwhile.
				.filter(name -> Integer.parseInt(name.replaceAll("[^0-9]", "")) >= DesktopSession.FIRST_DISPLAY)
				.collect(Collectors.toCollection(HashSet::new));
		}
	}

}
