package dev.sightline.agent.task;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sightline.net.HostRule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostRulesTest {

	@Test
	void acceptsPublicHostsWhenTheServerListsNone() {
		assertThatCode(() -> HostRules.checkNarrows(List.of("example.com", "docs.example.org:443"), List.of()))
			.doesNotThrowAnyException();
	}

	@Test
	void acceptsEntriesTheServerListCovers() {
		assertThatCode(() -> HostRules.checkNarrows(List.of("127.0.0.1:8080", "app.example.com", "example.com:443"),
				List.of("127.0.0.1:8080", "example.com")))
			.doesNotThrowAnyException();
	}

	@Test
	void refusesAnEntryThatWidensTheServerListNamingIt() {
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("127.0.0.1:8080", "evil.example"),
				List.of("127.0.0.1:8080")))
			.isInstanceOf(TaskException.Invalid.class)
			.hasMessageContaining("'evil.example' is not within the server's sightline.browser.allowed-hosts");
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("127.0.0.1:9090"), List.of("127.0.0.1:8080")))
			.hasMessageContaining("'127.0.0.1:9090' is not within");
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("example.com"), List.of("example.com:443")))
			.hasMessageContaining("'example.com' is not within");
	}

	@Test
	void refusesAPrivateHostTheServerDoesNotList() {
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("192.168.1.10"), List.of()))
			.isInstanceOf(TaskException.Invalid.class)
			.hasMessageContaining("'192.168.1.10' is a loopback or private address")
			.hasMessageContaining("sightline.browser.allowed-hosts");
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "app.localhost", "127.0.0.1", "127.1", "2130706433", "10.0.0.1",
			"172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]",
			"[fd00::1]", "[fe80::1]", "[::ffff:127.0.0.1]", "0x7f.1", "224.0.0.1" })
	void classifiesLocalAddressesByTheirParsedValue(String host) {
		assertThat(HostRules.localKind(HostRule.parse(host))).as(host).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com", "172.32.0.1", "172.example.com", "fc.example.com", "fdic.gov", "8.8.8.8",
			"[2606:4700::1111]", "100.128.0.1" })
	void leavesPublicHostsAndLookalikeNamesAlone(String host) {
		assertThat(HostRules.localKind(HostRule.parse(host))).as(host).isNull();
	}

	@Test
	void refusesAnEntryThatIsNotHostPort() {
		assertThatThrownBy(() -> HostRules.checkNarrows(List.of("http://example.com/path"), List.of()))
			.isInstanceOf(TaskException.Invalid.class)
			.hasMessageContaining("must be host[:port]");
	}

	@Test
	void refusesAStartUrlThePolicyDeniesWithoutResolvingNames() {
		var policy = HostRules.policyFor(List.of("127.0.0.1:8080", "example.com"), List.of("bad.example.com"),
				List.of());

		assertThatThrownBy(() -> HostRules.checkStartUrl("http://10.1.2.3/", policy))
			.hasMessageContaining("target.url 'http://10.1.2.3/' is not allowed")
			.hasMessageContaining("not on the allow list");
		assertThatThrownBy(() -> HostRules.checkStartUrl("https://bad.example.com/", policy))
			.hasMessageContaining("deny list");
		assertThatCode(() -> HostRules.checkStartUrl("http://127.0.0.1:8080/page", policy)).doesNotThrowAnyException();
		// A name that does not resolve here is not refused: the browser's enforcement checks what it resolves to.
		assertThatCode(() -> HostRules.checkStartUrl("https://sub.example.com/", policy)).doesNotThrowAnyException();
	}

	@Test
	void refusesAPrivateLiteralStartUrlWhenTheServerListsNoHosts() {
		var policy = HostRules.policyFor(List.of(), List.of(), List.of());

		assertThatThrownBy(() -> HostRules.checkStartUrl("http://169.254.169.254/latest/meta-data/", policy))
			.hasMessageContaining("link-local");
		assertThatThrownBy(() -> HostRules.checkStartUrl("http://[::1]:8080/", policy)).hasMessageContaining("loopback");
		assertThatCode(() -> HostRules.checkStartUrl("https://unresolvable.invalid/", policy))
			.doesNotThrowAnyException();
	}

	@Test
	void narrowsTheStartUrlByTheTasksOwnHosts() {
		var policy = HostRules.policyFor(List.of(), List.of(), List.of("example.com"));

		assertThatThrownBy(() -> HostRules.checkStartUrl("https://other.example.org/", policy))
			.hasMessageContaining("not on the allow list");
	}

	@Test
	void judgesTypedRulesNotPrefixesOfText() {
		// Names that merely start like private ranges are names; numeric forms of loopback are loopback.
		assertThatCode(() -> HostRules.checkNarrows(List.of("fc.example.com", "fd00.example", "172.example", "10.example"),
				List.of())).doesNotThrowAnyException();
		for (String local : List.of("2130706433", "0x7f.1", "127.1", "[::ffff:127.0.0.1]", "172.16.0.1", "100.64.0.1",
				"[fd00::1]", "0.0.0.0", "10.0.0.0/8", "0.0.0.0/0", "app.localhost:3000")) {
			assertThatThrownBy(() -> HostRules.checkNarrows(List.of(local), List.of("example.com"))).as(local)
				.isInstanceOf(TaskException.Invalid.class)
				.hasMessageContaining("not within the server's sightline.browser.allowed-hosts")
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
			.isInstanceOf(TaskException.Invalid.class);
	}

	@Test
	void refusesALocalhostStartUrlTheServerDoesNotListWithoutALookup() {
		assertThatThrownBy(() -> HostRules.checkStartUrl("http://localhost:8080/",
				HostRules.policyFor(List.of(), List.of(), List.of())))
			.hasMessageContaining("loopback name");
		assertThatCode(() -> HostRules.checkStartUrl("http://localhost:8080/",
				HostRules.policyFor(List.of("localhost:8080"), List.of(), List.of())))
			.doesNotThrowAnyException();
	}

}
