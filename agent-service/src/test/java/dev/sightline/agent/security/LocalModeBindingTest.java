package dev.sightline.agent.security;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalModeBindingTest {

	final SecurityConfiguration configuration = new SecurityConfiguration();

	@Test
	void refusesToStartOnANonLoopbackAddressWithoutKeysAndSaysHowToSetThem() {
		var customizer = configuration.localModeBinding(ApiKeys.parse(List.of()),
				new MockEnvironment().withProperty("server.address", "0.0.0.0"));

		assertThatThrownBy(() -> customizer.customize(new TomcatServletWebServerFactory()))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("server.address=0.0.0.0")
			.hasMessageContaining("SIGHTLINE_SECURITY_API_KEYS=tenant=key");
	}

	@Test
	void bindsLoopbackWhenNoAddressIsSet() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();

		configuration.localModeBinding(ApiKeys.parse(List.of()), new MockEnvironment()).customize(factory);

		assertThat(factory.getAddress().isLoopbackAddress()).isTrue();
	}

	@Test
	void acceptsAnExplicitLoopbackAddressOrAnyAddressWithKeys() {
		assertThatCode(() -> configuration
			.localModeBinding(ApiKeys.parse(List.of()), new MockEnvironment().withProperty("server.address", "127.0.0.1"))
			.customize(new TomcatServletWebServerFactory())).doesNotThrowAnyException();
		assertThatCode(() -> configuration
			.localModeBinding(ApiKeys.parse(List.of("alice=alice-key-0123456789")),
					new MockEnvironment().withProperty("server.address", "0.0.0.0"))
			.customize(new TomcatServletWebServerFactory())).doesNotThrowAnyException();
	}

}
