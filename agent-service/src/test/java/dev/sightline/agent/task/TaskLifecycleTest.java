package dev.sightline.agent.task;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.store.ArtifactStore;
import dev.sightline.agent.store.JdbcTaskStore;

import static org.assertj.core.api.Assertions.assertThat;

/** Every way a task ends forgets its secrets and deletes their hand-off; the event follows the change that won. */
class TaskLifecycleTest {

	@TempDir
	Path dir;

	JdbcTaskStore store;

	TaskEvents events;

	final SecretVault secrets = new SecretVault();

	final List<String> deletedHandOffs = new ArrayList<>();

	TaskLifecycle lifecycle;

	@BeforeEach
	void open() {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		store = new JdbcTaskStore(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
				new ArtifactStore(dir.resolve("artifacts")), JsonMapper.builder().build());
		events = new TaskEvents(store);
		lifecycle = new TaskLifecycle(store, events, secrets, new RecordingHandOff());
	}

	@Test
	void finishingEndsTheTaskForgetsItsSecretsAndPublishesOnce() {
		Task task = queuedWithSecret();

		assertThat(lifecycle.finish(task, TaskStatus.FAILED, "interrupted twice")).isTrue();
		assertThat(lifecycle.finish(task, TaskStatus.CANCELLED, "too late")).isFalse();

		assertThat(store.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
		assertThat(secrets.holds(task.id())).isFalse();
		assertThat(deletedHandOffs).containsExactly(task.id(), task.id());
		assertThat(events.replay(task.id(), 0)).extracting(StoredEvent::type).containsExactly("finished");
		assertThat(events.replay(task.id(), 0).getFirst().dataJson()).contains("interrupted twice");
	}

	@Test
	void aTaskAnotherReplicaEndedFirstStillLosesItsSecretsHere() {
		Task task = queuedWithSecret();
		store.finish(task.id(), TaskStatus.CANCELLED, "cancelled elsewhere", Instant.now());

		assertThat(lifecycle.finish(task, TaskStatus.SUCCEEDED, "done")).isFalse();

		assertThat(secrets.holds(task.id())).isFalse();
		assertThat(deletedHandOffs).containsExactly(task.id());
		assertThat(events.replay(task.id(), 0)).isEmpty();
	}

	@Test
	void requeueingKeepsTheSecretsForTheRerun() {
		Task task = queuedWithSecret();
		store.markStarted(task.id(), Instant.now());

		lifecycle.requeue(task, "interrupted by a restart; re-queued once");

		Task requeued = store.find(task.id()).orElseThrow();
		assertThat(requeued.status()).isEqualTo(TaskStatus.QUEUED);
		assertThat(requeued.requeues()).isEqualTo(1);
		assertThat(secrets.holds(task.id())).isTrue();
		assertThat(deletedHandOffs).isEmpty();
		assertThat(events.replay(task.id(), 0)).extracting(StoredEvent::type).containsExactly("queued");
	}

	@Test
	void withdrawingRemovesTheTaskAndItsSecrets() {
		Task task = queuedWithSecret();

		lifecycle.withdraw(task);

		assertThat(store.find(task.id())).isEmpty();
		assertThat(secrets.holds(task.id())).isFalse();
		assertThat(deletedHandOffs).containsExactly(task.id());
	}

	private Task queuedWithSecret() {
		TaskSpec spec = new TaskSpec("Sign in with {{token}}", new TaskTarget.Browser("http://example.com", null, null),
				10, 60, 0, null, List.of("token"), List.of());
		Task task = new Task(java.util.UUID.randomUUID().toString(), "alice", TaskStatus.QUEUED, spec, Instant.now(),
				null, null, 0, null, 0);
		store.create(task);
		secrets.put(task.id(), Map.of("token", "s3cret-value"));
		return task;
	}

	/** A hand-off that only records what was deleted. */
	private final class RecordingHandOff implements SecretHandOff {

		@Override
		public boolean runsWhereAccepted() {
			return false;
		}

		@Override
		public Optional<String> unavailable() {
			return Optional.empty();
		}

		@Override
		public void publish(String taskId, Map<String, String> values, Duration ttl) {
		}

		@Override
		public Optional<Map<String, String>> fetch(String taskId) {
			return Optional.empty();
		}

		@Override
		public void delete(String taskId) {
			deletedHandOffs.add(taskId);
		}

		@Override
		public String whyMissing() {
			return "not handed off";
		}

	}

}
