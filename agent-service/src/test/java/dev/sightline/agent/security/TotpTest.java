package dev.sightline.agent.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 6238 Appendix B's test vectors, and the seeds and parameters a task may give. */
class TotpTest {

	/** The RFC's seeds: ASCII "1234567890" repeated to 20, 32 and 64 bytes for SHA1, SHA256 and SHA512. */
	static String seed(String algorithm) {
		int bytes = switch (algorithm) {
			case "SHA1" -> 20;
			case "SHA256" -> 32;
			default -> 64;
		};
		String ascii = "1234567890".repeat(7).substring(0, bytes);
		return new Base32().encodeAsString(ascii.getBytes(StandardCharsets.US_ASCII)).replace("=", "");
	}

	@ParameterizedTest
	@CsvSource({ "59, SHA1, 94287082", "59, SHA256, 46119246", "59, SHA512, 90693936",
			"1111111109, SHA1, 07081804", "1111111109, SHA256, 68084774", "1111111109, SHA512, 25091201",
			"1111111111, SHA1, 14050471", "1111111111, SHA256, 67062674", "1111111111, SHA512, 99943326",
			"1234567890, SHA1, 89005924", "1234567890, SHA256, 91819424", "1234567890, SHA512, 93441116",
			"2000000000, SHA1, 69279037", "2000000000, SHA256, 90698825", "2000000000, SHA512, 38618901",
			"20000000000, SHA1, 65353130", "20000000000, SHA256, 77737706", "20000000000, SHA512, 47863826" })
	void matchesTheRfcTestVectors(long epochSecond, String algorithm, String code) {
		Totp totp = new Totp(seed(algorithm), algorithm, 8, 30);

		assertThat(totp.code(Instant.ofEpochSecond(epochSecond))).isEqualTo(code);
	}

	@Test
	void defaultsToSixDigitsOfSha1Every30Seconds() {
		Totp totp = Totp.of(seed("SHA1"));

		// The RFC's 8-digit code 94287082 at T=59 is 287082 in 6 digits (the same value modulo 10^6).
		assertThat(totp.code(Instant.ofEpochSecond(59))).isEqualTo("287082");
		assertThat(totp.code(Instant.ofEpochSecond(30))).isEqualTo(totp.code(Instant.ofEpochSecond(59)));
		assertThat(totp.codesAround(Instant.ofEpochSecond(59))).containsExactly(
				totp.code(Instant.ofEpochSecond(0)), "287082", totp.code(Instant.ofEpochSecond(60)));
	}

	@Test
	void readsSeedsAsSitesShowThemAndRoundTripsItsKeyUri() {
		Totp grouped = Totp.of("jbsw y3dp ehpk 3pxp");
		Totp parsed = Totp.parseUri(new Totp("JBSWY3DPEHPK3PXP", "SHA256", 8, 60).uri());

		assertThat(grouped.seedBase32()).isEqualTo("JBSWY3DPEHPK3PXP");
		assertThat(parsed).isEqualTo(new Totp("JBSWY3DPEHPK3PXP", "SHA256", 8, 60));
		assertThat(parsed.toString()).doesNotContain("JBSW");
	}

	@Test
	void refusesWhatIsNoSeedAndParametersOutOfRange() {
		assertThatThrownBy(() -> Totp.of("JBSWY3DP")).hasMessageContaining("16 to 256 Base32 characters");
		assertThatThrownBy(() -> Totp.of("JBSWY3DPEHPK3PX1")).hasMessageContaining("16 to 256 Base32 characters");
		assertThatThrownBy(() -> Totp.of("JBSWY3DPEHPK3PXPA")).hasMessageContaining("leave stray bits");
		assertThatThrownBy(() -> new Totp("JBSWY3DPEHPK3PXP", "MD5", 6, 30)).hasMessageContaining("SHA1, SHA256");
		assertThatThrownBy(() -> new Totp("JBSWY3DPEHPK3PXP", "SHA1", 9, 30)).hasMessageContaining("[6, 8]");
		assertThatThrownBy(() -> new Totp("JBSWY3DPEHPK3PXP", "SHA1", 6, 5)).hasMessageContaining("[15, 300]");
	}

}
