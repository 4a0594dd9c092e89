package dev.sightline.agent.redis;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Idempotency-Key} across API replicas in Redis mode: every replica hashes a request under the same key, so a
 * retry that reaches another replica returns the original task. Without a secrets key (as here) the hash key is
 * made once in Redis by the first replica.
 */
class RedisIdempotencyIT {

	@RegisterExtension
	static final RedisAndPage fixture = new RedisAndPage();

	@TempDir
	Path dir;

	@Test
	void aRetryThroughAnotherReplicaReturnsTheOriginalTask() throws Exception {
		String prefix = "idem" + UUID.randomUUID().toString().substring(0, 8);
		try (ScriptedModelServer model = ScriptedModelServer.start();
				ConfigurableApplicationContext one = Replicas.inJvm(fixture.properties(dir, prefix, "api", model, "a"));
				ConfigurableApplicationContext two = Replicas.inJvm(fixture.properties(dir, prefix, "api", model, "b"))) {
			String body = """
					{"goal": "Look once", "target": {"type": "browser", "url": "%s"}}""".formatted(fixture.pageUrl());
			Replicas.Answer first = submit(Replicas.base(one), body);
			Replicas.Answer retry = submit(Replicas.base(two), body);
			Replicas.Answer other = submit(Replicas.base(two), body.replace("Look once", "Look twice"));

			assertThat(first.status()).as(first.body()).isEqualTo(202);
			assertThat(retry.status()).as(retry.body()).isEqualTo(200);
			assertThat(retry.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
			assertThat(other.status()).as(other.body()).isEqualTo(422);
			var template = fixture.redis().template();
			try {
				assertThat(template.hasKey(prefix + ":idem-hash-key")).isTrue();
			}
			finally {
				RedisSupport.close(template);
			}
		}
	}

	private static Replicas.Answer submit(String base, String body) {
		return Replicas.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", "cross-replica")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

}
