package dev.sightline.agent.security;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A TOTP secret in the vault: the code of the moment is typed; neither seed nor codes ever leave in text. */
class SecretVaultTotpTest {

	static final String SEED = "JBSWY3DPEHPK3PXP";

	final Instant now = Instant.ofEpochSecond(1_700_000_015);

	final Totp totp = Totp.of(SEED);

	final SecretVault vault = new SecretVault(Clock.fixed(now, ZoneOffset.UTC));

	@Test
	void revealsTheCodeOfTheMomentNeverTheSeed() {
		vault.put("t", Map.of("otp", totp.uri(), "pw", "hunter2-secret"));

		assertThat(vault.usesSecret("t", "{{otp}}")).isTrue();
		assertThat(vault.reveal("t", "{{otp}}")).isEqualTo(totp.code(now)).hasSize(6).containsOnlyDigits();
		assertThat(vault.reveal("t", "{{pw}}")).isEqualTo("hunter2-secret");
	}

	@Test
	void redactsTheSeedAndTheCodesAroundNowAsWholeNumbersOnly() {
		vault.put("t", Map.of("otp", totp.uri()));
		String code = totp.code(now);
		String previous = totp.codesAround(now).get(0);

		assertThat(vault.redact("t", "seed " + SEED.substring(2, 9) + " code " + code + ", old " + previous))
			.isEqualTo("seed {{otp}} code {{otp}}, old {{otp}}");
		assertThat(vault.redact("t", "order 9" + code + "1")).as("digits inside a longer number stay")
			.isEqualTo("order 9" + code + "1");
		assertThat(vault.redactWhole("t", "typed " + code)).isEqualTo("typed {{otp}}");
		assertThat(vault.redact("t", "the URI " + totp.uri())).doesNotContain(SEED);
	}

	@Test
	void forgetsTheGenerator() {
		vault.put("t", Map.of("otp", totp.uri()));
		vault.forget("t");

		assertThat(vault.reveal("t", "{{otp}}")).isEqualTo("{{otp}}");
		assertThat(vault.redact("t", totp.code(now))).isEqualTo(totp.code(now));
	}

}
