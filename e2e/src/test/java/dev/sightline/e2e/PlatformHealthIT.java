package dev.sightline.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.sightline.agent.SightlineApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform as {@code ./sightline up} starts it (embedded defaults, no model checkpoint on this machine) answers
 * its health endpoint over real HTTP: UP, with the model component saying it is not ready and why.
 */
@SpringBootTest(classes = SightlineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PlatformHealthIT {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sightline-health-it");
		registry.add("sightline.store.dir", dir::toString);
		registry.add("sightline.model.path", () -> dir.resolve("no-checkpoint").toString());
	}

	@Test
	void answersHealthOverHttp() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"model\"").contains("\"ready\":false");
	}

}
