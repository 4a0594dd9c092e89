package dev.sightline.agent.redis;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.security.SecretHandOff;

import static org.assertj.core.api.Assertions.assertThat;

/** The secrets key decides at start-up whether Redis mode accepts tasks with secrets; a bad key stops the start. */
class RedisSecretsConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Infrastructure.class, RedisSecretsConfiguration.class)
		.withPropertyValues("sightline.mode=redis");

	@Test
	void acceptsTasksWithSecretsWhenAKeyOfAtLeast32CharactersIsSet() {
		runner.withPropertyValues("sightline.redis.secrets-key=" + "a".repeat(48))
			.run(context -> assertThat(context.getBean(SecretHandOff.class).unavailable()).isEmpty());
	}

	@Test
	void startsWithoutAKeyButRefusesTasksWithSecretsNamingTheSetting() {
		runner.run(context -> assertThat(context.getBean(SecretHandOff.class).unavailable()).hasValueSatisfying(
				reason -> assertThat(reason).contains("Redis mode without sightline.redis.secrets-key")
					.contains("at least 32 characters")
					.contains("so that any replica can run them")));
	}

	@Test
	void refusesToStartWithAShortKeyNamingTheSettingAndTheMinimum() {
		runner.withPropertyValues("sightline.redis.secrets-key=too-short")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("sightline.redis.secrets-key must be at least 32 characters long, got 9")
				.hasMessageNotContaining("too-short"));
	}

	@Test
	void isNotLoadedInEmbeddedMode() {
		new ApplicationContextRunner().withUserConfiguration(Infrastructure.class, RedisSecretsConfiguration.class)
			.run(context -> assertThat(context).doesNotHaveBean(SecretHandOff.class));
	}

	/** What the application context provides; the connection factory never connects here. */
	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(RedisSettings.class)
	static class Infrastructure {

		@Bean
		StringRedisTemplate stringRedisTemplate() {
			return new StringRedisTemplate(new LettuceConnectionFactory());
		}

		@Bean
		JsonMapper jsonMapper() {
			return JsonMapper.builder().build();
		}

	}

}
