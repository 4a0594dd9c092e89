package dev.sightline.agent.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;

import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.TaskService;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets in Redis mode: an API replica accepts a task with a secret, a worker replica (another Spring context with a
 * vault of its own) runs it and types the real value into a page, while Redis only ever holds it encrypted and drops
 * it when the task ends. Without a key, tasks with secrets are refused before anything is written.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisSecretsIT {

	private static final String SECRET = "s3cr3t-VALUE-4711";

	private static final String KEY = "test-secrets-key-0123456789abcdefghijklmnop";

	private static RedisSupport redis;

	private static HttpServer site;

	private static final List<String> siteRequests = new CopyOnWriteArrayList<>();

	@TempDir
	Path dir;

	@BeforeAll
	static void start() throws IOException {
		redis = RedisSupport.start();
		site = loginSite();
	}

	@AfterAll
	static void stop() {
		site.stop(0);
		redis.close();
	}

	@Test
	void aWorkerReplicaTypesTheSecretOfATaskAcceptedByAnApiReplicaWhileRedisHoldsItOnlyEncrypted(
			CapturedOutput output) throws Exception {
		String prefix = "secrets" + UUID.randomUUID().toString().substring(0, 8);
		RedisKeys keys = new RedisKeys(prefix);
		StringRedisTemplate template = redis.template();
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext api = Replicas.inJvm(properties(prefix, "api", model, KEY))) {
			// Field centre (350, 140) CSS -> model (352, 142); button centre (250, 360) -> (252, 364) at 1288x728.
			model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [352, 142]}"),
					Reply.toolCall("{\"action\": \"type\", \"text\": \"{{token}}\"}"),
					Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [252, 364]}"),
					Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
			String apiBase = Replicas.base(api);
			Replicas.Answer accepted = Replicas.post(apiBase, "/api/v1/tasks", """
					{"goal": "Sign in with the token {{token}}", "timeoutSeconds": 120,
					 "target": {"type": "browser", "url": "%s"}, "secrets": {"token": "%s"}}"""
				.formatted(url("/login"), SECRET));
			assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
			String id = accepted.json().get("id").asString();

			// Queued, no worker yet: the hand-off is in Redis, encrypted, expiring after timeout + allowance.
			String sealed = template.opsForValue().get(keys.secrets(id));
			assertThat(sealed).isNotNull().doesNotContain(SECRET).doesNotContain("token");
			assertThat(sealed).matches("[A-Za-z0-9+/]+=*").startsWith("A");
			Long ttlMs = template.getExpire(keys.secrets(id), TimeUnit.MILLISECONDS);
			assertThat(ttlMs).isPositive()
				.isLessThanOrEqualTo(Duration.ofSeconds(120).plus(TaskService.SECRETS_QUEUE_ALLOWANCE).toMillis());
			assertThat(valuesContaining(template, prefix, SECRET)).isEmpty();
			assertThat(api.getBean(SecretVault.class).holds(id)).as("the accepting replica keeps no copy").isFalse();

			try (ConfigurableApplicationContext worker = Replicas.inJvm(properties(prefix, "worker", model, KEY))) {
				JsonNode task = Replicas.awaitFinal(apiBase, id, 60_000);

				assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("succeeded");
				assertThat(siteRequests).contains("/signed-in?token=" + SECRET);
				assertThat(task.toString()).doesNotContain(SECRET).contains("token");
				assertThat(Replicas.get(apiBase, "/api/v1/tasks/" + id + "/steps").body()).doesNotContain(SECRET)
					.contains("{{token}}");
				List<StoredEvent> events = api.getBean(RedisTaskStore.class).events(id, 0);
				assertThat(events).isNotEmpty().allSatisfy(event -> assertThat(event.dataJson()).doesNotContain(SECRET));
				assertThat(model.requests()).hasSize(4)
					.allSatisfy(request -> assertThat(request.body()).doesNotContain(SECRET));
				awaitGone(template, keys.secrets(id), 10_000);
				assertThat(valuesContaining(template, prefix, SECRET)).isEmpty();
				assertThat(worker.getBean(SecretVault.class).holds(id)).isFalse();
				assertThat(output.getAll()).doesNotContain(SECRET);
			}
		}
		finally {
			RedisSupport.close(template);
		}
	}

	@Test
	void redisModeWithoutAKeyRefusesTasksWithSecretsWith503AndWritesNothing() throws Exception {
		String prefix = "secrets" + UUID.randomUUID().toString().substring(0, 8);
		StringRedisTemplate template = redis.template();
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext api = Replicas.inJvm(properties(prefix, "api", model, ""))) {
			String base = Replicas.base(api);

			Replicas.Answer refused = Replicas.post(base, "/api/v1/tasks", """
					{"goal": "Sign in with {{token}}", "target": {"type": "browser", "url": "%s"},
					 "secrets": {"token": "%s"}}""".formatted(url("/login"), SECRET));

			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
					type -> assertThat(type).startsWith("application/problem+json"));
			assertThat(refused.json().get("detail").asString())
				.contains("runs in Redis mode without sightline.redis.secrets-key")
				.contains("tasks with secrets need it so that any replica can run them");
			assertThat(Replicas.get(base, "/api/v1/tasks").json().get("total").asLong()).isZero();
			assertThat(template.keys(prefix + ":task:*")).isEmpty();
			assertThat(template.keys(prefix + ":secrets:*")).isEmpty();
			assertThat(valuesContaining(template, prefix, SECRET)).isEmpty();

			// Only secrets need the key: a task without them is accepted as before.
			assertThat(Replicas.post(base, "/api/v1/tasks", """
					{"goal": "Look", "target": {"type": "browser", "url": "%s"}}""".formatted(url("/login")))
				.status()).isEqualTo(202);
		}
		finally {
			RedisSupport.close(template);
		}
	}

	private Map<String, Object> properties(String prefix, String role, ScriptedModelServer model, String key)
			throws IOException {
		Map<String, Object> properties = Replicas.properties(redis, prefix, role, model.baseUrl(),
				"127.0.0.1:" + site.getAddress().getPort(), Files.createDirectories(dir.resolve(role)));
		if (!key.isEmpty()) {
			properties.put("sightline.redis.secrets-key", key);
		}
		return properties;
	}

	/** Keys under the prefix any of whose values (of any Redis type) contain {@code text}. */
	private static Set<String> valuesContaining(StringRedisTemplate template, String prefix, String text) {
		Set<String> keys = template.keys(prefix + ":*");
		assertThat(keys).as("keys under " + prefix).isNotNull();
		return keys.stream().filter(key -> {
			String values = switch (template.type(key)) {
				case STRING -> String.valueOf(template.opsForValue().get(key));
				case HASH -> template.opsForHash().entries(key).toString();
				case LIST -> String.valueOf(template.opsForList().range(key, 0, -1));
				case SET -> String.valueOf(template.opsForSet().members(key));
				case ZSET -> String.valueOf(template.opsForZSet().range(key, 0, -1));
				case STREAM -> template.opsForStream()
					.range(key, Range.unbounded())
					.stream()
					.map(entry -> String.valueOf(entry.getValue()))
					.toList()
					.toString();
				default -> "";
			};
			return values.contains(text);
		}).collect(Collectors.toSet());
	}

	/** The worker deletes the hand-off right after it records the final state, so the API may see that first. */
	private static void awaitGone(StringRedisTemplate template, String key, long timeoutMs) throws InterruptedException {
		long deadline = System.currentTimeMillis() + timeoutMs;
		while (Boolean.TRUE.equals(template.hasKey(key))) {
			if (System.currentTimeMillis() > deadline) {
				throw new AssertionError(key + " still exists " + timeoutMs + " ms after its task ended");
			}
			Thread.sleep(50);
		}
	}

	private static String url(String path) {
		return "http://127.0.0.1:" + site.getAddress().getPort() + path;
	}

	/** A sign-in form whose submit arrives as {@code GET /signed-in?token=...}; every request path is recorded. */
	private static HttpServer loginSite() throws IOException {
		return Replicas.site("""
				<!doctype html><html><head><title>Sign in</title><style>
				body { margin: 0; font: 24px sans-serif; background: #fff; }
				input { position: absolute; left: 100px; top: 100px; width: 500px; height: 80px; font: 32px monospace; }
				button { position: absolute; left: 100px; top: 300px; width: 300px; height: 120px; font: 32px sans-serif; }
				</style></head><body><form action="/signed-in" method="get">
				<input id="token" name="token" type="text" autocomplete="off">
				<button id="submit" type="submit">Sign in</button>
				</form></body></html>""", siteRequests);
	}

}
