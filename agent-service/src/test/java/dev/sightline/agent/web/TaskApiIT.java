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

import dev.sightline.agent.task.FileInput;
import dev.sightline.agent.task.TaskFile;
import dev.sightline.agent.SightlineApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API over real HTTP in local mode without a model (the default in-process backend and no checkpoint): the
 * service is UP, says why the model is unavailable, and answers every bad request with a specific problem+json.
 */
@SpringBootTest(classes = SightlineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TaskApiIT {

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sightline-api-it");
		registry.add("sightline.store.dir", dir::toString);
		registry.add("sightline.model.path", () -> dir.resolve("no-checkpoint").toString());
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

	static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(response.body()).contains(detail);
	}

	@Test
	void staysUpWithoutAModelAndSaysWhyAndHowToFixIt() throws Exception {
		HttpResponse<String> health = get("/actuator/health");

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).startsWith("{").contains("\"status\":\"UP\"").contains("\"ready\":false")
			.contains("no checkpoint directory").contains("sightline.model.path").contains("\"browser\"")
			.contains("\"db\"");
	}

	@Test
	void rejectsTasksWhileTheModelIsUnavailable() throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks",
				"{\"goal\": \"Look\", \"target\": {\"type\": \"browser\", \"url\": \"https://example.com\"}}");

		assertProblem(response, 503, "is unavailable");
		assertThat(response.headers().firstValue("Retry-After")).contains("30");
	}

	@Test
	void namesEveryInvalidFieldWithItsLimit() throws Exception {
		HttpResponse<String> response = post("/api/v1/tasks", """
				{"goal": "", "target": {"type": "browser", "url": "ftp://x", "viewport": {"width": 50, "height": 720},
				 "dpr": 9}, "maxSteps": 501, "timeoutSeconds": 0, "model": {"temperature": 3}}""");

		assertProblem(response, 400, "goal is required");
		assertThat(response.body()).contains("maxSteps must be within [1, 500]")
			.contains("timeoutSeconds must be within [1, 86400]")
			.contains("target.url must be an http or https URL")
			.contains("viewport width must be within [200, 7680] CSS px")
			.contains("target.dpr must be within [1, 4]")
			.contains("model.temperature must be within [0, 2]");
	}

	@Test
	void refusesADesktopDisplayTheOperatorDidNotAllow() throws Exception {
		// :0 is the operator's own desktop on a workstation; no display is allowed by default.
		HttpResponse<String> response = post("/api/v1/tasks",
				"{\"goal\": \"Open a terminal\", \"target\": {\"type\": \"desktop\", \"display\": \":0\"}}");

		assertProblem(response, 403, "target.display :0 is not allowed for tenant");
		assertThat(response.body()).contains("sightline.desktop.allowed-displays");
	}

	@Test
	void rejectsAnUnknownTargetType() throws Exception {
		assertProblem(post("/api/v1/tasks", "{\"goal\": \"Look\", \"target\": {\"type\": \"phone\"}}"), 400,
				"not valid JSON for this endpoint");
	}

	@Test
	void answersUnknownTasksAndBadQueriesWithProblems() throws Exception {
		assertProblem(get("/api/v1/tasks/no-such-task"), 404, "no task 'no-such-task'");
		assertProblem(get("/api/v1/tasks?status=sleeping"), 400, "unknown task status 'sleeping'");
		assertProblem(get("/api/v1/tasks?size=101"), 400, "size must be within [1, 100], got 101");
	}

	@Test
	void refusesABodyOverTheSizeLimit() throws Exception {
		String huge = "{\"goal\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}";
		assertProblem(post("/api/v1/tasks", huge), 413, "more than the limit of 16777216 bytes");
	}

	@Test
	void listsNoTasksForANewTenant() throws Exception {
		HttpResponse<String> response = get("/api/v1/tasks");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"items\":[]").contains("\"total\":0");
	}

	@Test
	void servesTheOpenApiDocument() throws Exception {
		HttpResponse<String> response = get("/v3/api-docs");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("/api/v1/tasks").contains("/api/v1/tasks/{id}/events")
			.contains("/api/v1/ground");
		// Issue 22's fields and endpoints.
		assertThat(response.body()).contains("Idempotency-Key").contains("/api/v1/tasks/{id}/deliveries")
			.contains("\"OutputRequest\"").contains("\"WebhookRequest\"").contains("\"TotpSeed\"")
			.contains("\"result\"");
		assertThat(response.body()).contains("/api/v1/tasks/{id}/files").contains("/api/v1/tasks/{id}/files/{name}")
			.contains("\"FileInput\"").contains("\"TaskFile\"").contains("multipart/form-data");
	}

}
