package dev.sightline.agent.video;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.SightlineApplication;
import dev.sightline.agent.model.ScriptedModelProperties;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.StepTimings;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.scripted.ScriptedModelServer.RecordedRequest;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code POST /api/v1/video/query} and recording export over real HTTP, with the OpenAI backend pointed at the
 * scripted model server (the only double): the request the model received carries the recorded frames with their
 * real capture times, and the answer's moments come back in the task's timeline.
 */
@SpringBootTest(classes = SightlineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VideoQueryIT {

	static final ScriptedModelServer MODEL = ScriptedModelServer.start();

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** Seconds after the first screenshot at which each step captured its screen: unevenly spaced. */
	static final double[] CAPTURED_SEC = { 0, 0.8, 2.9, 3.4, 7.0 };

	static final Color[] COLORS = { Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW, Color.MAGENTA };

	@LocalServerPort
	int port;

	@Autowired
	TaskStore store;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sightline-video-it");
		registry.add("sightline.store.dir", dir::toString);
		ScriptedModelProperties.register(registry, MODEL);
		registry.add("sightline.video.max-frames", () -> "8");
		registry.add("sightline.video.max-duration-seconds", () -> "60");
	}

	@AfterAll
	static void stopModel() {
		MODEL.close();
	}

	@Test
	void asksAboutARecordedTaskWithItsFramesAtTheirRealTimes() throws Exception {
		Task task = recordedTask("local");
		MODEL.enqueue(Reply.text("The error dialog is visible from 2.9 to 7 seconds.\n"
				+ "[{\"start\": 2.9, \"end\": 7.0, \"description\": \"error dialog visible\"}]"));
		int before = MODEL.requests().size();

		HttpResponse<String> response = postJson("/api/v1/video/query",
				"{\"taskId\": \"" + task.id() + "\", \"question\": \"When is the error dialog visible?\", \"fps\": 1}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		// fps 1 keeps frames at least 1 s apart: 0, 2.9 and 7.0 (0.8 and 3.4 are too close to a kept one).
		RecordedRequest request = MODEL.requests().get(before);
		JsonNode clips = JSON.readTree(request.body()).path("sightline_video_frames");
		assertThat(clips).hasSize(1);
		assertThat(clips.get(0).path("first_image").asInt()).isZero();
		assertThat(clips.get(0).path("timestamps_sec")).extracting(JsonNode::asDouble).containsExactly(0.0, 2.9, 7.0);
		assertThat(request.imageUrls()).extracting(VideoQueryIT::centreColor)
			.containsExactly(COLORS[0].getRGB(), COLORS[2].getRGB(), COLORS[4].getRGB());
		assertThat(request.allText()).contains("0.0, 2.9, 7.0").contains("When is the error dialog visible?");

		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("answer").asString()).startsWith("The error dialog is visible");
		assertThat(body.path("source").asString()).isEqualTo("task:" + task.id());
		assertThat(body.path("frames")).extracting(f -> f.path("step").asInt()).containsExactly(1, 3, 5);
		assertThat(body.path("frames")).extracting(f -> f.path("timestampSec").asDouble())
			.containsExactly(0.0, 2.9, 7.0);
		assertThat(body.path("moments")).hasSize(1);
		assertThat(body.path("moments").get(0).path("startSec").asDouble()).isEqualTo(2.9);
		assertThat(body.path("moments").get(0).path("endSec").asDouble()).isEqualTo(7.0);
		assertThat(body.path("moments").get(0).path("description").asString()).isEqualTo("error dialog visible");
	}

	@Test
	void answersMomentsOfTimedFramesInTheFramesOwnTimeline() throws Exception {
		MODEL.enqueue(Reply.text("The button turns blue at 1.5s."));
		int before = MODEL.requests().size();

		HttpResponse<String> response = postJson("/api/v1/video/query", "{\"question\": \"When does it turn blue?\", "
				+ "\"frames\": [" + frameJson(COLORS[0], 10) + "," + frameJson(COLORS[2], 11.5) + ","
				+ frameJson(COLORS[3], 14) + "]}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode clip = JSON.readTree(MODEL.requests().get(before).body()).path("sightline_video_frames").get(0);
		// The model's clock starts at the first frame; the answer is moved back to the frames' own times.
		assertThat(clip.path("timestamps_sec")).extracting(JsonNode::asDouble).containsExactly(0.0, 1.5, 4.0);
		JsonNode moment = JSON.readTree(response.body()).path("moments").get(0);
		assertThat(moment.path("startSec").asDouble()).isEqualTo(11.5);
		assertThat(moment.path("endSec").asDouble()).isEqualTo(11.5);
	}

	@Test
	void asksAboutAnUploadedVideoFile() throws Exception {
		Path video = Files.createTempFile("sightline-upload", ".mp4");
		ffmpeg("-f", "lavfi", "-i", "testsrc=duration=4:size=320x240:rate=10", "-pix_fmt", "yuv420p", video.toString());
		MODEL.enqueue(Reply.text("[{\"start\": \"00:01\", \"end\": \"00:02\", \"description\": \"pattern\"}]"));
		int before = MODEL.requests().size();

		HttpResponse<String> response = postMultipart("clip.mp4", "video/mp4", Files.readAllBytes(video),
				"What is shown?", "1");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode clip = JSON.readTree(MODEL.requests().get(before).body()).path("sightline_video_frames").get(0);
		assertThat(clip.path("timestamps_sec")).extracting(JsonNode::asDouble).containsExactly(0.0, 1.0, 2.0, 3.0);
		assertThat(MODEL.requests().get(before).imageUrls()).hasSize(4);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.path("source").asString()).isEqualTo("upload:clip.mp4");
		assertThat(body.path("moments").get(0).path("startSec").asDouble()).isEqualTo(1.0);
	}

	@Test
	void exportsARecordingAsAVideoThatPlaysInRealTime() throws Exception {
		Task task = recordedTask("local");

		HttpResponse<byte[]> response = http.send(
				HttpRequest.newBuilder(uri("/api/v1/video/recordings/" + task.id() + "?format=mp4")).build(),
				HttpResponse.BodyHandlers.ofByteArray());

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).contains("video/mp4");
		assertThat(new String(response.body(), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ftyp");
		Path file = Files.createTempFile("sightline-export", ".mp4");
		Files.write(file, response.body());
		// The last capture at 7.0 s, shown for 1 s more.
		assertThat(durationSec(file)).isCloseTo(8.0, within(0.15));
	}

	@Test
	void offersTheQuestionPanelAndRecordingDownloadOnTheReplayPage() throws Exception {
		Task task = recordedTask("local");

		HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/tasks/" + task.id() + "/replay")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"video-question\"")
			.contains("data-task-id=\"" + task.id() + "\"")
			.contains("/dashboard/video.js")
			// The first visit has no session cookie yet, so links may carry ;jsessionid=... before the query.
			.containsPattern("/api/v1/video/recordings/" + task.id() + "[^\"?]*\\?format=mp4")
			.contains("id=\"step-range\"");
		HttpResponse<String> script = http.send(HttpRequest.newBuilder(uri("/dashboard/video.js")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.body()).contains("/api/v1/video/query");
	}

	@Test
	void answersEachBadInputWithASpecificProblem() throws Exception {
		Task other = recordedTask("someone-else");
		int before = MODEL.requests().size();

		assertProblem(postJson("/api/v1/video/query", "{\"taskId\": \"" + other.id() + "\", \"question\": \"q\"}"),
				404, "no task '" + other.id() + "'");
		assertProblem(postJson("/api/v1/video/query", "{\"frames\": [], \"question\": \"q\"}"), 422,
				"needs at least 1 frame, got 0");
		StringBuilder nine = new StringBuilder();
		for (int i = 0; i < 9; i++) {
			nine.append(i == 0 ? "" : ",").append(frameJson(Color.RED, i));
		}
		assertProblem(postJson("/api/v1/video/query", "{\"frames\": [" + nine + "], \"question\": \"q\"}"), 413,
				"9 frames exceed the ceiling of 8 frames");
		assertProblem(postJson("/api/v1/video/query", "{\"frames\": [" + frameJson(Color.RED, 0) + ","
				+ frameJson(Color.RED, 100) + "], \"question\": \"q\"}"), 413, "more than the ceiling of 60 s");
		assertProblem(postJson("/api/v1/video/query", "{\"frames\": [" + frameJson(Color.RED, 3) + ","
				+ frameJson(Color.RED, 2) + "], \"question\": \"q\"}"), 400, "must strictly increase");
		assertProblem(postJson("/api/v1/video/query", "{\"question\": \"q\"}"), 400, "give exactly one source");
		assertProblem(postJson("/api/v1/video/query", "{\"taskId\": \"x\", \"question\": \"q\", \"maxFrames\": 9}"),
				400, "maxFrames must be within [1, 8]");
		assertProblem(postMultipart("notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8), "q", "1"),
				415, "send a video/* file");
		assertProblem(postMultipart("broken.mp4", "video/mp4", new byte[] { 0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2 },
				"q", "1"), 422, "corrupt or not a video");
		assertProblem(http.send(HttpRequest.newBuilder(uri("/api/v1/video/recordings/" + other.id())).build(),
				HttpResponse.BodyHandlers.ofString()), 404, "no task");
		// None of them reached the model.
		assertThat(MODEL.requests()).hasSize(before);
	}

	Task recordedTask(String tenant) throws IOException {
		Instant start = Instant.parse("2026-03-01T10:00:00Z");
		TaskSpec spec = new TaskSpec("Save the form", new TaskTarget.Browser("http://example.com", null, null), 10, 60,
				0, null, List.of(), List.of());
		Task task = new Task(UUID.randomUUID().toString(), tenant, TaskStatus.QUEUED, spec, start, null, null, 0, null,
				0);
		store.create(task);
		store.markStarted(task.id(), start);
		for (int i = 0; i < CAPTURED_SEC.length; i++) {
			byte[] png = png(COLORS[i]);
			Instant at = start.plusMillis(Math.round(CAPTURED_SEC[i] * 1000));
			store.saveStep(new Step(task.id(), i + 1, at, "", null, null, StepTimings.NONE, "ok", png.length), png);
		}
		store.finish(task.id(), TaskStatus.SUCCEEDED, "done", start.plusSeconds(8));
		return task;
	}

	static byte[] png(Color color) throws IOException {
		BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
		var g = image.createGraphics();
		g.setColor(color);
		g.fillRect(0, 0, 320, 240);
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	static String frameJson(Color color, double timestampSec) throws IOException {
		return "{\"image\": \"data:image/png;base64," + Base64.getEncoder().encodeToString(png(color))
				+ "\", \"timestampSec\": " + timestampSec + "}";
	}

	static int centreColor(String dataUrl) {
		try {
			byte[] bytes = Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1));
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
			return image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	HttpResponse<String> postJson(String path, String json) throws Exception {
		return http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> postMultipart(String filename, String contentType, byte[] file, String question, String fps)
			throws Exception {
		String boundary = "sightline-" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
				+ "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
		body.write(file);
		for (String[] field : List.of(new String[] { "question", question }, new String[] { "fps", fps })) {
			body.write(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
					+ field[1]).getBytes(StandardCharsets.UTF_8));
		}
		body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		return http.send(HttpRequest.newBuilder(uri("/api/v1/video/query"))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains(detail);
	}

	static void ffmpeg(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-y"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

	static double durationSec(Path file) throws Exception {
		Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
				"default=noprint_wrappers=1:nokey=1", file.toString())
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return Double.parseDouble(output);
	}

}
