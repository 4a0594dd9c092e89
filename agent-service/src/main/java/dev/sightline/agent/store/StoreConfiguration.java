package dev.sightline.agent.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.config.StoreSettings;
import dev.sightline.agent.task.TaskStore;

/** The embedded store unless another {@link TaskStore} bean (e.g. Redis) is present. */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

	@Bean
	@ConditionalOnMissingBean(TaskStore.class)
	JdbcTaskStore jdbcTaskStore(JdbcClient jdbc, TransactionTemplate transactions, StoreSettings settings,
			JsonMapper json) {
		return new JdbcTaskStore(jdbc, transactions, new ArtifactStore(Path.of(settings.dir()).resolve("artifacts")),
				json);
	}

	@Bean
	RetentionJob retentionJob(TaskStore store, StoreSettings settings) {
		return new RetentionJob(store, settings);
	}

	/** Deletes finished tasks past the age, count and byte limits of {@link StoreSettings}. */
	public static final class RetentionJob {

		private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

		private final TaskStore store;

		private final StoreSettings settings;

		RetentionJob(TaskStore store, StoreSettings settings) {
			this.store = store;
			this.settings = settings;
		}

		@Scheduled(initialDelayString = "${sightline.store.retention-interval-seconds:600}",
				fixedDelayString = "${sightline.store.retention-interval-seconds:600}",
				timeUnit = java.util.concurrent.TimeUnit.SECONDS)
		public TaskStore.RetentionResult run() {
			TaskStore.RetentionResult result = store.enforceRetention(
					Instant.now().minus(Duration.ofDays(settings.retentionDays())), settings.retentionMaxTasks(),
					settings.retentionMaxMegabytes() * 1024 * 1024);
			if (result.tasksDeleted() > 0) {
				log.info("retention deleted {} finished tasks, {} bytes of screenshots", result.tasksDeleted(),
						result.bytesFreed());
			}
			return result;
		}

	}

}
