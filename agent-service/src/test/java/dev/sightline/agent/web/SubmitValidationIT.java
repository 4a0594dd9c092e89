package dev.sightline.agent.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.SightlineApplication;

import static dev.sightline.agent.web.TaskApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be known at submit is refused at submit, as problem+json naming the field or host: a start URL the
 * navigation policy denies, allowedHosts that widen the server's, a scalar of the wrong type, a viewport too large,
 * too many video frames (stopped while parsing). No model is configured, so a request that passes these checks gets
 * 503 from the model check that follows them.
 */
@SpringBootTest(classes = SightlineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sightline.browser.allowed-hosts=example.com,127.0.0.1:8080")
class SubmitValidationIT {

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sightline-submit-it");
		registry.add("sightline.store.dir", dir::toString);
		registry.add("sightline.model.path", () -> dir.resolve("no-checkpoint").toString());
	}

	HttpResponse<String> post(String path, String json) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String task(String url, String extra) {
		return "{\"goal\": \"Look\", \"target\": {\"type\": \"browser\", \"url\": \"" + url + "\"}" + extra + "}";
	}

	@Test
	void refusesAStartUrlThePolicyDenies() throws Exception {
		assertProblem(post("/api/v1/tasks", task("http://10.1.2.3/", "")), 400,
				"target.url 'http://10.1.2.3/' is not allowed by the navigation policy");
	}

	@Test
	void refusesAllowedHostsThatWidenTheServersNamingTheHost() throws Exception {
		assertProblem(post("/api/v1/tasks", task("https://example.com/", ", \"allowedHosts\": [\"evil.example\"]")),
				400, "allowedHosts entry 'evil.example' is not within the server's sightline.browser.allowed-hosts");
	}

	@Test
	void refusesAStartUrlOutsideTheTasksOwnHosts() throws Exception {
		assertProblem(post("/api/v1/tasks",
				task("http://127.0.0.1:8080/", ", \"allowedHosts\": [\"example.com\"]")), 400, "not on the allow list");
	}

	@Test
	void passesAnAllowedStartUrlOnToTheModelCheck() throws Exception {
		assertProblem(post("/api/v1/tasks", task("https://example.com/", "")), 503, "is unavailable");
	}

	@Test
	void refusesScalarCoercionsNamingTheField() throws Exception {
		HttpResponse<String> goal = post("/api/v1/tasks",
				"{\"goal\": 42, \"target\": {\"type\": \"browser\", \"url\": \"https://example.com/\"}}");
		assertProblem(goal, 400, "field 'goal'");
		assertThat(goal.body()).contains("\"field\":\"goal\"");
		assertProblem(post("/api/v1/tasks", task("https://example.com/", ", \"maxSteps\": \"5\"")), 400,
				"field 'maxSteps'");
		assertProblem(post("/api/v1/tasks", task("https://example.com/", ", \"maxSteps\": 5.7")), 400,
				"field 'maxSteps'");
		assertProblem(post("/api/v1/tasks", "{\"goal\": \"Look\", \"target\": {\"type\": \"browser\", \"url\": "
				+ "\"https://example.com/\", \"viewport\": {\"width\": \"1280\", \"height\": 720}}}"), 400,
				"field 'target.viewport.width'");
		assertProblem(post("/api/v1/tasks", task("https://example.com/", ", \"model\": {\"temperature\": true}")),
				400, "field 'model.temperature'");
	}

	@Test
	void refusesAViewportTimesDprPastTheDevicePixelCap() throws Exception {
		assertProblem(post("/api/v1/tasks", "{\"goal\": \"Look\", \"target\": {\"type\": \"browser\", \"url\": "
				+ "\"https://example.com/\", \"viewport\": {\"width\": 7680, \"height\": 4320}, \"dpr\": 4}}"), 400,
				"more than the limit of 16.8 MP");
		assertProblem(post("/api/v1/tasks", "{\"goal\": \"Look\", \"target\": {\"type\": \"browser\", \"url\": "
				+ "\"https://example.com/\", \"viewport\": {\"width\": 2560, \"height\": 1600}, \"dpr\": 2}}"), 503,
				"is unavailable");
	}

	@Test
	void stopsParsingVideoFramesPastTheCeilingBeforeBindingThem() throws Exception {
		// 769 well-formed frames and then a malformed one: the count stops the parse before the parser reaches it.
		StringBuilder frames = new StringBuilder();
		for (int i = 0; i < 769; i++) {
			frames.append("{\"image\": \"iVBORw0KGgo=\", \"timestampSec\": ").append(i).append("},");
		}
		frames.append("{\"image\": 5, \"timestampSec\": \"never read\"}");
		HttpResponse<String> response = post("/api/v1/video/query",
				"{\"question\": \"What happens?\", \"frames\": [" + frames + "]}");

		assertProblem(response, 413, "frames has more than 768 entries");
	}

}
