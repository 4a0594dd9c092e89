package dev.sightline.agent.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackOnlyFilterTest {

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "localhost:8080", "LOCALHOST:8080", "app.localhost", "127.0.0.1:8080",
			"127.1.2.3", "[::1]:8080", "localhost.:8080" })
	void acceptsLoopbackHosts(String host) {
		assertThat(LoopbackOnlyFilter.isLoopback(LoopbackOnlyFilter.hostOf(host))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "0.0.0.0", "[::]",
			"2130706433", "192.168.1.2:8080", "", "127.0.0.256" })
	void refusesEveryOtherHost(String host) {
		assertThat(LoopbackOnlyFilter.isLoopback(LoopbackOnlyFilter.hostOf(host))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080" })
	void acceptsTheServersOwnOrigin(String origin) {
		assertThat(LoopbackOnlyFilter.isOwnOrigin(origin, 8080)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://evil.example", "null", "http://localhost:9090", "file://", "http://localhost",
			"chrome-extension://abc" })
	void refusesOtherOrigins(String origin) {
		assertThat(LoopbackOnlyFilter.isOwnOrigin(origin, 8080)).isFalse();
	}

}
