package dev.sightline.e2e.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds the agent-service image from agent-service/Dockerfile and runs it against a real Redis, as docker compose
 * does. Needs a Docker engine (users' CI); skipped with the reason where there is none.
 */
class AgentServiceImageIT {

	@BeforeEach
	void requireDocker() {
		assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
				"no Docker engine: the agent-service image can be built and run only where Docker is available");
	}

	@Test
	void buildsAndServesHealthAgainstRedis() throws Exception {
		String password = "it-" + Long.toHexString(System.nanoTime());
		try (Network network = Network.newNetwork();
				GenericContainer<?> redis = new GenericContainer<>("redis:7.4.5-alpine").withNetwork(network)
					.withNetworkAliases("redis")
					.withCommand("redis-server", "--appendonly", "yes", "--requirepass", password)
					.waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));
				GenericContainer<?> agent = new GenericContainer<>(
						new ImageFromDockerfile("sightline/agent-service-it", false)
							.withFileFromPath(".", RepositoryRoot.path())
							.withDockerfile(RepositoryRoot.resolve("agent-service/Dockerfile")))
					.withNetwork(network)
					.withEnv(Map.of("SIGHTLINE_MODE", "redis", "SIGHTLINE_ROLE", "both", "SPRING_DATA_REDIS_HOST",
							"redis", "SPRING_DATA_REDIS_PASSWORD", password, "SIGHTLINE_SECURITY_API_KEYS",
							"it=" + password, "SIGHTLINE_MODEL_BACKEND", "openai"))
					.withExposedPorts(8080)
					.withSharedMemorySize(1L << 30)
					.waitingFor(Wait.forHttp("/actuator/health/liveness").forStatusCode(200))
					.withStartupTimeout(Duration.ofMinutes(5))) {
			redis.start();
			agent.start();
			HttpResponse<String> health = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://" + agent.getHost() + ":" + agent.getMappedPort(8080)
						+ "/actuator/health/liveness")).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"status\":\"UP\"");
			// The image runs as the unprivileged user its Dockerfile declares.
			assertThat(agent.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
		}
	}

}
