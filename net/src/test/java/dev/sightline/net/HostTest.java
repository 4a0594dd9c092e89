package dev.sightline.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostTest {

	@ParameterizedTest
	@CsvSource({ "2130706433, 127.0.0.1", "0177.0.0.1, 127.0.0.1", "0x7f.1, 127.0.0.1", "127.1, 127.0.0.1",
			"0x7F000001, 127.0.0.1", "127.0.0.1., 127.0.0.1", "0, 0.0.0.0", "0x.0.0.0, 0.0.0.0",
			"10.0x10.0300, 10.16.0.192", "169.254.43518, 169.254.169.254", "0251.0376.0251.0376, 169.254.169.254" })
	void numericHostsAreNormalisedLikeTheWhatwgIpv4Parser(String raw, String address) {
		Host host = Host.parse(raw);
		assertThat(host.isAddress()).as(raw).isTrue();
		assertThat(host.name()).isEqualTo(address);
	}

	@ParameterizedTest
	@ValueSource(strings = { "256.0.0.1", "1.2.3.4.5", "0x100000000", "127.0.0.08", "4294967296", "1.2.3.65536" })
	void hostsEndingInANumberThatAreNotIpv4AreRefused(String raw) {
		assertThatThrownBy(() -> Host.parse(raw)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining(raw);
	}

	@ParameterizedTest
	@CsvSource({ "[::1], ::1", "[::ffff:127.0.0.1], 127.0.0.1", "[::ffff:7f00:1], 127.0.0.1", "[0:0::1], ::1",
			"[FD00::1], fd00::1" })
	void ipv6LiteralsAreParsedAndMappedIpv4BecomesIpv4(String raw, String address) {
		assertThat(Host.parse(raw).name()).isEqualTo(address);
	}

	@ParameterizedTest
	@ValueSource(strings = { "fc.example.com", "fd00.example", "172.example", "1.2.3.example", "0x7f.example" })
	void namesThatMerelyLookNumericStayNames(String raw) {
		Host host = Host.parse(raw);
		assertThat(host.isAddress()).as(raw).isFalse();
		assertThat(host.name()).isEqualTo(raw);
	}

	@Test
	void namesAreLowerCasedIdnEncodedAndLoseTheTrailingDot() {
		assertThat(Host.parse("Example.COM.").name()).isEqualTo("example.com");
		assertThat(Host.parse("bücher.example").name()).isEqualTo("xn--bcher-kva.example");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[::1%eth0]", "[::1", "exa mple.com", "a..b", "[g::1]" })
	void malformedHostsAreRefused(String raw) {
		assertThatThrownBy(() -> Host.parse(raw)).isInstanceOf(IllegalArgumentException.class);
	}


	@ParameterizedTest
	@CsvSource({ "0:0:0:0:0:0:0:1, ::1", "0:0:0:0:0:0:0:0, ::", "fd00:0:0:1:0:0:0:1, fd00:0:0:1::1",
			"2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1" })
	void ipv6AddressesAreWrittenInRfc5952Form(String literal, String text) {
		assertThat(Host.parse(literal).name()).isEqualTo(text);
	}

}
