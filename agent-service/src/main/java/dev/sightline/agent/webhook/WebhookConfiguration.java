package dev.sightline.agent.webhook;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.SubmitCheck;
import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.redis.RedisConfiguration;
import dev.sightline.agent.redis.RedisSettings;
import dev.sightline.agent.result.TaskResults;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.net.HostResolver;

@Configuration(proxyBeanMethods = false)
public class WebhookConfiguration {

	@Bean
	JdbcWebhookOutbox jdbcWebhookOutbox(JdbcClient jdbc) {
		return new JdbcWebhookOutbox(jdbc);
	}

	/** Redis mode: the outbox every replica shares ({@code @Primary} over the embedded one). */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = RedisConfiguration.MODE, havingValue = RedisConfiguration.REDIS)
	static class InRedis {

		@Bean
		@Primary
		RedisWebhookOutbox redisWebhookOutbox(StringRedisTemplate redis, RedisSettings settings, JsonMapper json) {
			return new RedisWebhookOutbox(redis, settings.keyPrefix(), Duration.ofHours(settings.screenshotTtlHours()),
					json);
		}

	}

	@Bean
	Webhooks webhooks(WebhookOutbox outbox, TaskStore store, TaskResults results, WebhookSettings settings,
			BrowserSettings browser, JsonMapper json, TaskEvents events) {
		Webhooks webhooks = new Webhooks(outbox, store, results, settings, browser, HostResolver.system(), json);
		events.addListener(webhooks::onEvent);
		return webhooks;
	}

	/** A task's webhook URL meets the browser's network policy at submit, whoever submits it. */
	@Bean
	SubmitCheck webhookCheck(Webhooks webhooks) {
		return (tenant, request) -> webhooks.check(tenant, request.webhook());
	}

	@Bean
	Dispatcher webhookDispatcher(Webhooks webhooks) {
		return new Dispatcher(webhooks);
	}

	/** Sends due deliveries every {@code sightline.webhooks.poll-interval-ms}. */
	public static final class Dispatcher {

		private final Webhooks webhooks;

		Dispatcher(Webhooks webhooks) {
			this.webhooks = webhooks;
		}

		@Scheduled(fixedDelayString = "${sightline.webhooks.poll-interval-ms:500}", timeUnit = TimeUnit.MILLISECONDS)
		public void run() {
			webhooks.deliverDue();
		}

	}

}
