package dev.sightline.agent.webhook;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.redis.RedisSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both outboxes against the real thing (H2 with the service's migrations, a real Redis): of many dispatchers (as
 * from several replicas) exactly one claims a due delivery, a claimed one is not due again until its lease ends, an
 * event is enqueued once, and attempts make the delivery log.
 */
class WebhookOutboxIT {

	static RedisSupport redis;

	static StringRedisTemplate template;

	static JdbcClient jdbc;

	static final JsonMapper json = JsonMapper.builder().build();

	@BeforeAll
	static void start() {
		redis = RedisSupport.start();
		template = redis.template();
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:hooks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(h2).load().migrate();
		jdbc = JdbcClient.create(h2);
	}

	@AfterAll
	static void stop() {
		RedisSupport.close(template);
		redis.close();
	}

	static Stream<WebhookOutbox> outboxes() {
		// Each test starts from an empty outbox (Redis gets a fresh prefix).
		jdbc.sql("delete from webhook_delivery").update();
		return Stream.of(new JdbcWebhookOutbox(jdbc),
				new RedisWebhookOutbox(template, "hooks-it-" + System.nanoTime(), Duration.ofHours(1), json));
	}

	static String task() {
		String id = java.util.UUID.randomUUID().toString();
		jdbc.sql("insert into task (id, tenant, status, spec_json, created_at) values (:id, 'acme', 'succeeded', '{}', "
				+ ":at)").param("id", id).param("at", Timestamp.from(Instant.now())).update();
		return id;
	}

	@ParameterizedTest
	@MethodSource("outboxes")
	void exactlyOneOfManyDispatchersClaimsADelivery(WebhookOutbox outbox) throws Exception {
		String task = task();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		WebhookOutbox.Delivery delivery = new WebhookOutbox.Delivery(task + ":7", task, "acme", "finished",
				"https://hooks.example/x", WebhookOutbox.PENDING, 0, now, now);
		outbox.enqueue(delivery);
		outbox.enqueue(delivery);

		int n = 8;
		CountDownLatch go = new CountDownLatch(1);
		List<Future<Optional<WebhookOutbox.Delivery>>> claims = new ArrayList<>();
		try (ExecutorService threads = Executors.newFixedThreadPool(n)) {
			for (int i = 0; i < n; i++) {
				Callable<Optional<WebhookOutbox.Delivery>> claim = () -> {
					go.await();
					return outbox.claimDue(now.plusMillis(1), Duration.ofSeconds(30));
				};
				claims.add(threads.submit(claim));
			}
			go.countDown();
		}
		List<WebhookOutbox.Delivery> won = new ArrayList<>();
		for (Future<Optional<WebhookOutbox.Delivery>> claim : claims) {
			claim.get().ifPresent(won::add);
		}

		assertThat(won).singleElement().extracting(WebhookOutbox.Delivery::eventId).isEqualTo(task + ":7");
		assertThat(outbox.claimDue(now.plusSeconds(29), Duration.ofSeconds(30))).as("leased").isEmpty();
		assertThat(outbox.claimDue(now.plusSeconds(31), Duration.ofSeconds(30))).as("lease over: due again")
			.isPresent();
	}

	@ParameterizedTest
	@MethodSource("outboxes")
	void attemptsMakeTheLogAndEndTheDelivery(WebhookOutbox outbox) {
		String task = task();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		outbox.enqueue(new WebhookOutbox.Delivery(task + ":3", task, "acme", "finished", "https://hooks.example/y",
				WebhookOutbox.PENDING, 0, now, now));
		outbox.claimDue(now, Duration.ofSeconds(30)).orElseThrow();

		outbox.recordAttempt(task + ":3", new WebhookOutbox.Attempt(1, now, 500, "answered HTTP 500", 12),
				WebhookOutbox.PENDING, now.plusSeconds(2));
		assertThat(outbox.claimDue(now.plusSeconds(1), Duration.ofSeconds(30))).isEmpty();
		WebhookOutbox.Delivery again = outbox.claimDue(now.plusSeconds(3), Duration.ofSeconds(30)).orElseThrow();
		assertThat(again.attempts()).isEqualTo(1);
		outbox.recordAttempt(task + ":3", new WebhookOutbox.Attempt(2, now.plusSeconds(3), 204, null, 8),
				WebhookOutbox.DELIVERED, now.plusSeconds(3));

		assertThat(outbox.claimDue(now.plusSeconds(3600), Duration.ofSeconds(30))).isEmpty();
		assertThat(outbox.forTask(task)).singleElement().satisfies(log -> {
			assertThat(log.state()).isEqualTo(WebhookOutbox.DELIVERED);
			assertThat(log.attempts()).extracting(WebhookOutbox.Attempt::httpStatus).containsExactly(500, 204);
		});
	}

}
