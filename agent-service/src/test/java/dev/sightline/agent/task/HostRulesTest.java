package dev.sightline.agent.task;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostRulesTest {

	@Test
	void acceptsPublicHostsAndPrivateOnesTheServerLists() {
		assertThatCode(() -> HostRules.checkNarrows(List.of("example.com", "127.0.0.1:8080"), List.of("127.0.0.1:8080")))
			.doesNotThrowAnyException();
	}

	@Test
	void refusesAPrivateHostTheServerDoesNotList() {
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("192.168.1.10"), List.of("127.0.0.1:8080")))
			.isInstanceOf(TaskProblem.class)
			.hasMessageContaining("'192.168.1.10' is a loopback or private address")
			.hasMessageContaining("sightline.browser.allowed-hosts");
	}

	@Test
	void refusesAnEntryThatIsNotHostPort() {
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("http://example.com/path"), List.of()))
			.isInstanceOf(TaskProblem.class)
			.hasMessageContaining("must be host[:port]");
	}

}
