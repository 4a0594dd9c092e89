package dev.sightline.agent.video;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.model.ScriptedModelProperties;
import dev.sightline.agent.security.CurrentTenant;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sightline.video.frames-between-steps-fps}: while the (scripted, slow) model answers, the loop samples real
 * screenshots of the task's own Xvfb, and the task's recording interleaves them with the steps' screenshots at their
 * capture times.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FramesBetweenStepsIT {

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model = ScriptedModelServer.start();

	@LocalServerPort
	int port;

	@Autowired
	TaskStore store;

	@Autowired
	TaskRecordings recordings;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ScriptedModelProperties.register(registry, model);
		registry.add("sightline.store.dir", () -> storeDir.toString());
		registry.add("sightline.agent.settle-ms", () -> 0);
		registry.add("sightline.video.frames-between-steps-fps", () -> 5);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@Test
	void samplesFramesWhileTheModelAnswersAndPutsThemInTheRecording() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [100, 100]}").afterMs(1500),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"goal": "Click", "target": {"type": "desktop", "screen": {"width": 640, "height": 480}},
						 "timeoutSeconds": 60}"""))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		String id = response.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
		Task task = awaitFinal(id);
		assertThat(task.status()).as(task.message()).isEqualTo(TaskStatus.SUCCEEDED);

		List<Step> steps = store.steps(id);
		List<TaskStore.Frame> frames = store.frames(id);
		// 1.5 s of model time at 5 fps: about 7 frames; a loaded machine may take fewer.
		assertThat(frames).hasSizeGreaterThanOrEqualTo(3);
		Instant stepOne = steps.get(0).startedAt();
		Instant stepTwo = steps.get(1).startedAt();
		assertThat(frames).allSatisfy(frame -> {
			assertThat(frame.step()).isEqualTo(1);
			assertThat(frame.capturedAt()).isAfterOrEqualTo(stepOne).isBeforeOrEqualTo(stepTwo);
		});
		assertThat(store.frame(id, frames.get(0))).hasValueSatisfying(
				png -> assertThat(png).startsWith(0x89, 'P', 'N', 'G'));

		List<ClipFrame> clip = recordings.allFrames(CurrentTenant.LOCAL, id);
		assertThat(clip).hasSizeGreaterThanOrEqualTo(steps.size() + frames.size() - 1);
		assertThat(clip.get(0).timestampSec()).isZero();
		for (int i = 1; i < clip.size(); i++) {
			assertThat(clip.get(i).timestampSec()).isGreaterThan(clip.get(i - 1).timestampSec());
		}
		assertThat(clip.get(clip.size() - 1).step()).isEqualTo(2);
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

}
