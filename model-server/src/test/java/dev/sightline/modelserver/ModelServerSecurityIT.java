package dev.sightline.modelserver;

import dev.sightline.vision.batching.ScriptedVisionModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform's controls the model server gained with Spring Boot: the key guards the actuator as it guards the
 * model and metrics, the probes stay open (even to a stale key), and the request firewall refuses path tricks
 * before any route or rule sees them — all answered in OpenAI's error shape.
 */
class ModelServerSecurityIT {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static ModelServer server;

	@BeforeAll
	static void start() {
		server = ModelServer.start(ServerOptions.defaults("unused").withApiKey("s3cret").withPort(0),
				new ScriptedVisionModel(List.of("ok")), "tiny-a");
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
	}

	@Test
	void probesAreOpenEvenToAStaleKeyWhileTheRestOfTheActuatorNeedsTheKey() throws Exception {
		for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/health")) {
			assertThat(get(probe, null).statusCode()).as(probe).isEqualTo(200);
			assertThat(get(probe, "wrong").statusCode()).as(probe + " with a stale key").isEqualTo(200);
		}
		assertThat(JSON.readTree(get("/actuator/health/readiness", null).body()).path("status").asString())
			.isEqualTo("UP");
		assertUnauthorized(get("/actuator/env", null));
		assertUnauthorized(get("/actuator/metrics", "wrong"));
		assertUnauthorized(get("/v1/models", null));
		assertThat(get("/v1/models", "s3cret").statusCode()).isEqualTo(200);
	}

	@Test
	void theFirewallRefusesPathTricksBeforeTheyReachARoute() throws Exception {
		// Each would otherwise be matched as /v1/models (path parameters) or walk past the rules from an open path.
		for (String path : List.of("/v1/models;x=1", "/health/../v1/models", "/health/%2e%2e/v1/models")) {
			for (String key : new String[] { null, "s3cret" }) {
				HttpResponse<String> response = get(path, key);
				assertThat(response.statusCode()).as(path + " key " + key).isEqualTo(400);
				assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
				assertThat(JSON.readTree(response.body()).at("/error/message").asString()).contains("rejected");
			}
		}
		// An encoded slash never gets that far: Tomcat refuses it itself.
		assertThat(get("/v1%2Fmodels", null).statusCode()).isEqualTo(400);
	}

	@Test
	void metricsCarryTheSchedulersAndThePlatformsMeters() throws Exception {
		HttpResponse<String> metrics = get("/metrics", "s3cret");

		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
		assertThat(metrics.body()).contains("sightline_model_queue_depth{model=\"tiny-a\"}")
			.contains("jvm_memory_used_bytes");
	}

	private static void assertUnauthorized(HttpResponse<String> response) throws Exception {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		JsonNode error = JSON.readTree(response.body()).path("error");
		assertThat(error.path("code").asString()).isEqualTo("invalid_api_key");
		assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
	}

	private static HttpResponse<String> get(String path, String key) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
