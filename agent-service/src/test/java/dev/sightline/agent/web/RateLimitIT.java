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

import static org.assertj.core.api.Assertions.assertThat;

/** Each API key has its own request budget; beyond it the API answers 429 with Retry-After. */
@SpringBootTest(classes = SightlineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sightline.security.api-keys=alice=alice-key-0123456789,bob=bob-key-0123456789ab",
				"sightline.security.requests-per-minute=3" })
class RateLimitIT {

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sightline-rate-it");
		registry.add("sightline.store.dir", dir::toString);
		registry.add("sightline.model.path", () -> dir.resolve("no-checkpoint").toString());
	}

	HttpResponse<String> list(String key) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/tasks"))
			.header("Authorization", "Bearer " + key)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void answers429WithRetryAfterBeyondAKeysBudgetAndLeavesOtherKeysAlone() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(list("alice-key-0123456789").statusCode()).isEqualTo(200);
		}

		HttpResponse<String> limited = list("alice-key-0123456789");

		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
				seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 20L));
		assertThat(limited.body()).contains("sightline.security.requests-per-minute");
		assertThat(list("bob-key-0123456789ab").statusCode()).isEqualTo(200);
	}

}
