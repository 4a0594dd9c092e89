package dev.sightline.agent.model;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service with the real in-process runtime on the tiny random-weight golden checkpoint: it loads, reports ready
 * (health and system page), and {@code POST /ground} goes through the real model. The tiny model's text is
 * gibberish, so the answer is either a point or a 422 naming the raw output; either way it carries the real
 * runtime's measurements.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InProcessGroundIT {

	@LocalServerPort
	int port;

	@Autowired
	ModelBackend backend;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws Exception {
		registry.add("sightline.store.dir", () -> tempDir().toString());
		registry.add("sightline.model.backend", () -> "in-process");
		registry.add("sightline.model.path", () -> InProcessModelBackendTest.tinyCheckpoint().toString());
		registry.add("sightline.model.dtype", () -> "fp32");
		registry.add("sightline.model.device", () -> "cpu");
	}

	static Path tempDir() {
		try {
			return Files.createTempDirectory("sightline-inprocess-it");
		}
		catch (java.io.IOException e) {
			throw new IllegalStateException(e);
		}
	}

	@Test
	void loadsTheCheckpointAndGroundsThroughTheRealRuntime() throws Exception {
		long deadline = System.nanoTime() + 60_000_000_000L;
		while (!backend.state().ready() && System.nanoTime() < deadline && !failed(backend.state())) {
			Thread.sleep(100);
		}
		assertThat(backend.state().ready()).as(backend.state().toString()).isTrue();
		assertThat(get("/actuator/health").body()).contains("\"backend\":\"in-process\"").contains("\"ready\":true")
			.contains("\"name\":\"tiny-a\"");
		assertThat(get("/system").body()).contains("tiny-a").contains("fp32 on cpu").contains(">ready<")
			.contains("PyTorch 2.7.1 (cpu natives, DJL ")
			.contains("fp32 (vision fp32, text fp32)");
		String info = get("/actuator/info").body();
		assertThat(info).contains("\"libtorch_flavour\":\"cpu\"").contains("\"device\":\"cpu\"")
			.contains("\"dtype_policy\":\"fp32\"").contains("\"libtorch_version\":\"2.7.1\"")
			.contains("\"weight_bytes\":");

		HttpResponse<String> answer = post("/api/v1/ground",
				"{\"image\": \"" + png() + "\", \"instruction\": \"the red square\"}");

		if (answer.statusCode() == 200) {
			assertThat(answer.body()).contains("\"rawOutput\":").contains("\"modelImageSize\"");
			assertThat(number(answer.body(), "\"modelMs\":([0-9.]+)")).isPositive();
			assertThat(number(answer.body(), "\"promptTokens\":([0-9]+)")).isPositive();
		}
		else {
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
			assertThat(answer.body()).contains("the model's answer has no point").contains("raw output: ");
			assertThat(number(answer.body(), "answered in ([0-9.]+) ms")).isPositive();
			// The image alone is 4 merged patches of 28x28 plus the prompt's words: a real tokenized prompt.
			assertThat(number(answer.body(), "ms, ([0-9]+) prompt")).isGreaterThan(20);
			assertThat(number(answer.body(), "and ([0-9]+) completion")).isPositive();
		}
		// The ground call went through the model's scheduler: its figures are on the system page and in Prometheus.
		String system = get("/system").body();
		assertThat(system).contains("Model scheduler").contains("id=\"scheduler-batch\"");
		assertThat(number(system, "([0-9]+) steps")).isPositive();
		assertThat(number(system, "([0-9]+) tokens")).isPositive();
		String prometheus = get("/actuator/prometheus").body();
		assertThat(prometheus).contains("sightline_model_queue_depth{model=\"tiny-a\"}")
			.contains("sightline_model_batch_size_bucket{model=\"tiny-a\",le=\"1.0\"}")
			.contains("sightline_model_decode_gap_seconds_count{model=\"tiny-a\"}")
			.contains("sightline_model_requests_total{model=\"tiny-a\",outcome=");
	}

	private static boolean failed(ModelState state) {
		return !state.ready() && !state.inProgress();
	}

	private static double number(String body, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(body);
		assertThat(matcher.find()).as(regex + " in " + body).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static String png() throws Exception {
		BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, 56, 56);
		g.setColor(Color.RED);
		g.fillRect(28, 28, 20, 20);
		g.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return Base64.getEncoder().encodeToString(out.toByteArray());
	}

	HttpResponse<String> get(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String json) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
