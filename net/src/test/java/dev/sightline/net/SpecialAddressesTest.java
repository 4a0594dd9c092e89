package dev.sightline.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecialAddressesTest {

	@ParameterizedTest
	@CsvSource({ "127.0.0.1, loopback", "127.255.1.2, loopback", "::1, loopback", "10.1.2.3, private",
			"172.16.0.1, private", "172.31.255.255, private", "192.168.1.1, private", "169.254.169.254, link-local",
			"fe80::1, link-local", "100.64.0.1, carrier-grade NAT", "100.127.255.255, carrier-grade NAT",
			"224.0.0.1, multicast", "ff02::1, multicast", "fc00::1, unique-local", "fd12:3456::1, unique-local",
			"0.0.0.0, unspecified", "0.1.2.3, unspecified", "::, unspecified", "255.255.255.255, broadcast",
			"::ffff:127.0.0.1, loopback", "::ffff:10.0.0.1, private", "::127.0.0.1, IPv4-compatible IPv6",
			"64:ff9b::7f00:1, loopback (embedded in 64:ff9b::7f00:1)",
			"2002:a9fe:a9fe::1, link-local (embedded in 2002:a9fe:a9fe::1)", "fec0::1, site-local",
			"2001:0::1, Teredo" })
	void classifiesSpecialAddressesOnTheirBytes(String address, String kind) {
		assertThat(SpecialAddresses.kind(Host.parse(address).address())).isEqualTo(kind);
	}

	@ParameterizedTest
	@ValueSource(strings = { "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "8.8.8.8",
			"93.184.216.34", "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::1", "fbff::1", "fe00::1" })
	void publicAddressesAreNotSpecial(String address) {
		assertThat(SpecialAddresses.kind(Host.parse(address).address())).as(address).isNull();
	}

}
