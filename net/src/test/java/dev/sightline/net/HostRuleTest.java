package dev.sightline.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostRuleTest {

	@ParameterizedTest
	@CsvSource({ "Example.COM, example.com", "example.com:8443, example.com:8443", "*.example.com, *.example.com",
			"127.0.0.1:8080, 127.0.0.1:8080", "2130706433, 127.0.0.1", "[::1]:8080, [::1]:8080",
			"fd00::1, fd00::1", "10.0.0.0/8, 10.0.0.0/8", "10.1.2.3/8, 10.0.0.0/8",
			"fc00::/7, fc00::/7", "[fc00::]/7, fc00::/7", "bücher.example, xn--bcher-kva.example" })
	void entriesAreParsedIntoTypedRules(String entry, String canonical) {
		assertThat(HostRule.parse(entry)).hasToString(canonical);
	}

	@ParameterizedTest
	@ValueSource(strings = { "example.com:0", "example.com:65536", "example.com:http", "10.0.0.0/33", "10.0.0.0/x",
			"example.com/8", "*.10.0.0.1", "http://example.com/", "exa mple.com" })
	void malformedEntriesAreRefusedWithTheEntryInTheMessage(String entry) {
		assertThatThrownBy(() -> HostRule.parse(entry)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(entry.strip());
	}

	@Test
	void cidrRulesMatchByAddressBitsNotByText() {
		HostRule.Addresses range = (HostRule.Addresses) HostRule.parse("172.16.0.0/12");
		assertThat(range.matches(Host.parse("172.31.1.1").address())).isTrue();
		assertThat(range.matches(Host.parse("172.32.0.1").address())).isFalse();
		assertThat(range.matches(Host.parse("172.1.0.1").address())).isFalse();
		HostRule.Addresses v6 = (HostRule.Addresses) HostRule.parse("fc00::/7");
		assertThat(v6.matches(Host.parse("fdff::1").address())).isTrue();
		assertThat(v6.matches(Host.parse("fe00::1").address())).isFalse();
		assertThat(v6.matches(Host.parse("10.0.0.1").address())).isFalse();
	}

	@Test
	void nameRulesMatchTheNameAndSubdomainsNeverSuffixesOfLabels() {
		HostRule.Name name = (HostRule.Name) HostRule.parse("example.org");
		assertThat(name.matches("example.org")).isTrue();
		assertThat(name.matches("a.b.example.org")).isTrue();
		assertThat(name.matches("badexample.org")).isFalse();
		HostRule.Name subdomains = (HostRule.Name) HostRule.parse("*.example.org");
		assertThat(subdomains.matches("example.org")).isFalse();
		assertThat(subdomains.matches("www.example.org")).isTrue();
	}

	@Test
	void coversIsASafeUnderApproximation() {
		assertThat(HostRule.parse("10.0.0.0/8").covers(HostRule.parse("10.1.0.0/16"))).isTrue();
		assertThat(HostRule.parse("10.1.0.0/16").covers(HostRule.parse("10.0.0.0/8"))).isFalse();
		assertThat(HostRule.parse("example.org").covers(HostRule.parse("a.example.org:443"))).isTrue();
		assertThat(HostRule.parse("example.org:443").covers(HostRule.parse("example.org"))).isFalse();
		assertThat(HostRule.parse("*.example.org").covers(HostRule.parse("example.org"))).isFalse();
		assertThat(HostRule.parse("example.org").covers(HostRule.parse("93.184.216.34"))).isFalse();
	}

}
