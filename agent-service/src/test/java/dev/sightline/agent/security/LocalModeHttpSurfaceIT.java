package dev.sightline.agent.security;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.SightlineApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP surface in local mode (no keys), attacked with raw requests over a socket: a DNS-rebinding page (another
 * Host) or another site (another Origin) is refused on every path, encoded paths included; the firewall and the
 * body limit hold as in key mode.
 */
@SpringBootTest(classes = SightlineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalModeHttpSurfaceIT {

	static final String TASK = "{\"goal\": \"Look\", \"target\": {\"type\": \"browser\", \"url\": \"https://example.com\"}}";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sightline-localmode-it");
		registry.add("sightline.store.dir", dir::toString);
		registry.add("sightline.model.path", () -> dir.resolve("no-checkpoint").toString());
	}

	RawHttp http() {
		return new RawHttp(port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/tasks", "/%61pi/v1/tasks", "/tasks", "/actuator/health", "/v3/api-docs",
			"/playground" })
	void refusesARebindingHostOnEveryPath(String path) throws Exception {
		RawHttp.Response response = http().get(path, "Host: evil.example:" + port);

		assertThat(response.status()).as(response.toString()).isEqualTo(403);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
		assertThat(response.body()).contains("evil.example");
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://evil.example", "null", "http://127.0.0.1:1", "http://localhost.evil.example" })
	void refusesAnotherSitesOrigin(String origin) throws Exception {
		RawHttp.Response response = http().send("POST", "/api/v1/tasks", TASK, "Origin: " + origin);

		assertThat(response.status()).as(response.toString()).isEqualTo(403);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "localhost", "[::1]" })
	void servesLoopbackHostsAndTheServersOwnOrigin(String host) throws Exception {
		RawHttp.Response response = http().get("/api/v1/tasks", "Host: " + host + ":" + port,
				"Origin: http://" + host + ":" + port);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"items\":[]");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api;x/v1/ground", "/api/v1/tasks/..%2f..%2fetc", "/api%2fv1/tasks", "//api/v1/tasks",
			"/api/v1/x/../tasks" })
	void answersFirewallRefusalsWithProblemJson(String path) throws Exception {
		RawHttp.Response response = http().get(path);

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/tasks", "/%61pi/v1/ground", "/api/v1/video/query" })
	void refusesAChunkedBodyPastTheLimitOnEveryPath(String path) throws Exception {
		RawHttp.Response response = http().chunked("POST", path, 17L * 1024 * 1024);

		assertThat(response.status()).as(response.toString()).isEqualTo(413);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
		assertThat(response.body()).contains("limit of 16777216 bytes");
	}

	@Test
	void refusesADeclaredLengthPastTheLimitBeforeReading() throws Exception {
		RawHttp.Response response = http().get("/api/v1/tasks", "Content-Length: 17000000");

		assertThat(response.status()).as(response.toString()).isEqualTo(413);
		assertThat(response.isProblem()).isTrue();
	}

}
