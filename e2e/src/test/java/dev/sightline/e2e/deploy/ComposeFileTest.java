package dev.sightline.e2e.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/** docker-compose.yml, parsed as YAML: services, ports, healthchecks, volumes, and documented configuration. */
@SuppressWarnings("unchecked")
class ComposeFileTest {

	private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|API_KEY|API_KEYS).*");

	static Map<String, Object> compose;

	static Map<String, Map<String, Object>> services;

	@BeforeAll
	static void parse() throws IOException {
		compose = new Yaml().load(Files.readString(RepositoryRoot.resolve("docker-compose.yml")));
		services = (Map<String, Map<String, Object>>) compose.get("services");
	}

	@Test
	void definesRedisModelServerAgentServiceAndAVllmProfile() {
		assertThat(services).containsOnlyKeys("redis", "model-server", "agent-service", "vllm");
		assertThat(services.get("vllm")).containsEntry("profiles", List.of("vllm"));
		for (String always : List.of("redis", "model-server", "agent-service")) {
			assertThat(services.get(always)).as(always).doesNotContainKey("profiles");
		}
	}

	@Test
	void everyServiceHasAHealthcheckAndARestartPolicy() {
		services.forEach((name, service) -> {
			Map<String, Object> healthcheck = (Map<String, Object>) service.get("healthcheck");
			assertThat(healthcheck).as(name).isNotNull().containsKeys("test", "interval", "retries");
			assertThat(service).as(name).containsEntry("restart", "unless-stopped");
		});
		assertThat(String.valueOf(((Map<String, Object>) services.get("agent-service").get("healthcheck")).get("test")))
			.contains("/actuator/health/readiness");
		assertThat(String.valueOf(((Map<String, Object>) services.get("model-server").get("healthcheck")).get("test")))
			.contains("/actuator/health/readiness");
	}

	@Test
	void redisKeepsAnAppendOnlyLogOnANamedVolume() {
		Map<String, Object> redis = services.get("redis");
		assertThat(String.join(" ", (List<String>) redis.get("command"))).contains("--appendonly yes")
			.contains("--requirepass");
		assertThat((List<String>) redis.get("volumes")).contains("redis-data:/data");
		assertThat((Map<String, Object>) compose.get("volumes")).containsKey("redis-data");
	}

	@Test
	void modelServerReservesAGpuAndCachesModelsOnAVolume() {
		for (String name : List.of("model-server", "vllm")) {
			Map<String, Object> service = services.get(name);
			Map<String, Object> reservations = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) service
				.get("deploy")).get("resources")).get("reservations");
			assertThat((List<Map<String, Object>>) reservations.get("devices")).singleElement().satisfies((device) -> {
				assertThat(device).containsEntry("driver", "nvidia");
				assertThat((List<String>) device.get("capabilities")).contains("gpu");
			});
			assertThat((List<String>) service.get("volumes")).anyMatch((volume) -> volume.startsWith("model-cache:"));
		}
		assertThat(String.join(" ", (List<String>) services.get("model-server").get("command"))).contains("--model")
			.contains("--port 8000")
			.contains("--host 0.0.0.0");
		assertThat(((Map<String, Object>) services.get("model-server").get("build")).get("dockerfile"))
			.isEqualTo("model-server/Dockerfile");
	}

	@Test
	void agentServiceScalesWithoutPortClashes() {
		Map<String, Object> agent = services.get("agent-service");
		// A fixed container_name or a single host port would make `--scale agent-service=N` fail.
		assertThat(agent).doesNotContainKey("container_name");
		assertThat((List<String>) agent.get("ports")).singleElement()
			.satisfies((port) -> assertThat(port).matches("(127\\.0\\.0\\.1:)?\\d+-\\d+:8080"));
		Map<String, Object> environment = (Map<String, Object>) agent.get("environment");
		assertThat(environment).containsEntry("SIGHTLINE_MODE", "redis")
			.containsEntry("SIGHTLINE_ROLE", "both")
			.containsEntry("SPRING_DATA_REDIS_HOST", "redis")
			.containsEntry("SIGHTLINE_MODEL_BACKEND", "openai");
		assertThat(String.valueOf(environment.get("SIGHTLINE_MODEL_BASE_URL"))).contains("http://model-server:8000/v1");
		assertThat(((Map<String, Object>) agent.get("build")).get("dockerfile")).isEqualTo("agent-service/Dockerfile");
		assertThat((Map<String, Object>) agent.get("depends_on")).containsKey("redis");
		assertThat(agent).containsKey("shm_size");
	}

	@Test
	void everySightlineVariableItSetsIsDocumentedInTheReadme() throws IOException {
		ReadmeConfiguration readme = ReadmeConfiguration.read(RepositoryRoot.resolve("README.md"));
		Set<String> undocumented = new TreeSet<>();
		for (String name : sightlineVariables()) {
			if (!readme.documents(name)) {
				undocumented.add(name);
			}
		}
		assertThat(undocumented).as("set by docker-compose.yml or sightline.env.example, missing from README Configuration")
			.isEmpty();
	}

	@Test
	void takesSecretsOnlyFromTheEnvFile() throws IOException {
		services.forEach((name, service) -> {
			assertThat((List<String>) service.get("env_file")).as(name).containsExactly("sightline.env");
			Map<String, Object> environment = (Map<String, Object>) service.getOrDefault("environment", Map.of());
			assertThat(environment.keySet()).as(name).noneMatch((key) -> SECRET_NAME.matcher(key).matches());
		});
		List<String> example = Files.readAllLines(RepositoryRoot.resolve("sightline.env.example"));
		List<String> assignments = example.stream().filter((line) -> line.contains("=") && !line.startsWith("#")).toList();
		assertThat(assignments).contains("SIGHTLINE_SECURITY_API_KEYS=", "SPRING_DATA_REDIS_PASSWORD=");
		// The example ships no secret values: every assignment is empty.
		assertThat(assignments).allMatch((line) -> line.endsWith("="));
	}

	private static Set<String> sightlineVariables() throws IOException {
		Set<String> names = new TreeSet<>();
		services.values().forEach((service) -> names
			.addAll(((Map<String, Object>) service.getOrDefault("environment", Map.of())).keySet()));
		Files.readAllLines(RepositoryRoot.resolve("sightline.env.example"))
			.stream()
			.filter((line) -> line.contains("=") && !line.startsWith("#"))
			.map((line) -> line.substring(0, line.indexOf('=')))
			.forEach(names::add);
		names.removeIf((name) -> !name.startsWith("SIGHTLINE_") && !name.startsWith("SPRING_"));
		return names;
	}

}
