package dev.sightline.agent.config;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DesktopSettingsTest {

	@Configuration
	@EnableConfigurationProperties(DesktopSettings.class)
	static class Config {

	}

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@Test
	void bindsDefaultsAndCommaSeparatedEntries() {
		contexts.run(context -> {
			DesktopSettings settings = context.getBean(DesktopSettings.class);
			assertThat(settings.enabled()).isTrue();
			assertThat(settings.allowedDisplays()).isEmpty();
			assertThat(settings.xauthority()).isNull();
		});
		contexts.withPropertyValues("sightline.desktop.allowed-displays=acme=:5, :7",
				"sightline.desktop.xauthority=/home/ops/.Xauthority", "sightline.desktop.enabled=false")
			.run(context -> {
				DesktopSettings settings = context.getBean(DesktopSettings.class);
				assertThat(settings.allowedDisplays()).containsExactly("acme=:5", ":7");
				assertThat(settings.enabled()).isFalse();
				assertThat(settings.xauthority()).isEqualTo("/home/ops/.Xauthority");
			});
	}

	@Test
	void aMalformedEntryStopsTheServiceNamingIt() {
		contexts.withPropertyValues("sightline.desktop.allowed-displays=acme:5")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("sightline.desktop.allowed-displays entry 'acme:5'"));
	}

	@Test
	void noExistingDisplayIsAllowedByDefault() {
		DesktopSettings defaults = DesktopSettings.defaults();

		assertThat(defaults.refusal("acme", null)).as("an own Xvfb").isNull();
		assertThat(defaults.refusal("acme", ":0")).contains("target.display :0 is not allowed for tenant 'acme'")
			.contains("sightline.desktop.allowed-displays");
	}

	@Test
	void entriesAllowADisplayForEveryTenantOrForOne() {
		DesktopSettings settings = new DesktopSettings(true, List.of(":5", "acme=:7", "acme=:9.1"), null);

		assertThat(settings.allows("anyone", ":5")).isTrue();
		assertThat(settings.allows("anyone", ":5.0")).as("a screen of an allowed display").isTrue();
		assertThat(settings.allows("acme", ":7")).isTrue();
		assertThat(settings.allows("other", ":7")).as("another tenant's display").isFalse();
		assertThat(settings.allows("acme", ":9.1")).isTrue();
		assertThat(settings.allows("acme", ":9.0")).as("only the screen listed").isFalse();
		assertThat(settings.allows("acme", ":0")).isFalse();
	}

	@Test
	void desktopTasksCanBeTurnedOff() {
		DesktopSettings off = new DesktopSettings(false, List.of(":5"), null);

		assertThat(off.refusal("acme", null)).isEqualTo(
				"desktop tasks are turned off on this server (sightline.desktop.enabled=false)");
		assertThat(off.refusal("acme", ":5")).contains("turned off");
	}

	@Test
	void refusesMalformedEntries() {
		assertThatThrownBy(() -> new DesktopSettings(true, List.of("0"), null)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("sightline.desktop.allowed-displays entry '0' must be ':N' (every tenant) or "
					+ "'tenant=:N' (one tenant)");
	}

}
