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

	@Test
	void judgesTypedRulesNotPrefixesOfText() {
		// Names that merely start like private ranges are names; numeric forms of loopback are loopback.
		assertThatCode(() -> HostRules.checkNarrows(List.of("fc.example.com", "fd00.example", "172.example", "10.example"),
				List.of())).doesNotThrowAnyException();
		for (String local : List.of("2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]", "172.16.0.1", "100.64.0.1",
				"[fd00::1]", "0.0.0.0", "10.0.0.0/8", "0.0.0.0/0", "app.localhost:3000")) {
			assertThatThrownBy(() -> HostRules.checkNarrows(List.of(local), List.of("example.com"))).as(local)
				.isInstanceOf(TaskProblem.class)
				.hasMessageContaining("loopback or private address");
		}
		assertThatCode(() -> HostRules.checkNarrows(List.of("172.32.0.1", "8.8.8.0/24"), List.of()))
			.doesNotThrowAnyException();
	}

	@Test
	void acceptsAPrivateRangeInsideOneTheServerLists() {
		assertThatCode(() -> HostRules.checkNarrows(List.of("10.1.0.0/16", "10.1.2.3:8443"), List.of("10.0.0.0/8")))
			.doesNotThrowAnyException();
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("10.0.0.0/7"), List.of("10.0.0.0/8")))
			.isInstanceOf(TaskProblem.class);
	}

}
