package dev.sightline.agent.loop;

import java.nio.file.Path;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.config.DesktopSettings;
import dev.sightline.agent.config.StoreSettings;
import dev.sightline.tools.browser.BrowserPool;

/** Opens browser targets with the tools module's shared Chromium, desktop targets on X displays. */
@Configuration(proxyBeanMethods = false)
public class TargetConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean(BrowserPool.class)
	BrowserPool browserPool(AgentSettings agent) {
		return new BrowserPool(dev.sightline.tools.browser.BrowserSettings.defaults()
			.withMaxContexts(Math.max(agent.concurrency(), 1)));
	}

	@Bean
	@ConditionalOnMissingBean(TargetOpener.class)
	TargetOpener targetOpener(BrowserPool pool, BrowserSettings settings, StoreSettings store,
			DesktopSettings desktop, ObjectProvider<TaskFileHandler> files) {
		return new DefaultTargetOpener(pool, settings, Path.of(store.dir()).resolve("downloads"), desktop)
			.files(files.getIfAvailable(() -> TaskFileHandler.NONE));
	}

	/**
	 * Health component {@code browser}: UP, with whether Chromium is running now and how many task contexts are open.
	 * The browser starts with the first task, so "not running" is normal.
	 */
	@Bean
	HealthIndicator browserHealthIndicator(BrowserPool pool) {
		return () -> Health.up()
			.withDetail("running", pool.browserRunning())
			.withDetail("openContexts", pool.openContexts())
			.withDetail("maxContexts", pool.settings().maxContexts())
			.build();
	}

}
