package dev.sightline.agent.security;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretVaultTest {

	private final SecretVault vault = new SecretVault();

	@Test
	void revealsKnownPlaceholdersOnlyForTheirTask() {
		vault.put("t1", Map.of("password", "hunter2-secret"));

		assertThat(vault.reveal("t1", "{{password}}")).isEqualTo("hunter2-secret");
		assertThat(vault.reveal("t1", "pw: {{ password }} and {{other}}")).isEqualTo("pw: hunter2-secret and {{other}}");
		assertThat(vault.reveal("t2", "{{password}}")).isEqualTo("{{password}}");
		assertThat(vault.usesSecret("t1", "{{password}}")).isTrue();
		assertThat(vault.usesSecret("t1", "{{other}}")).isFalse();
	}

	@Test
	void redactsValuesBackToPlaceholders() {
		vault.put("t1", Map.of("password", "hunter2-secret"));

		assertThat(vault.redact("t1", "typed hunter2-secret into the field")).isEqualTo("typed {{password}} into the field");
	}

	@Test
	void forgetsATasksSecrets() {
		vault.put("t1", Map.of("password", "hunter2-secret"));
		vault.forget("t1");

		assertThat(vault.holds("t1")).isFalse();
		assertThat(vault.reveal("t1", "{{password}}")).isEqualTo("{{password}}");
	}

	@Test
	void redactsPrefixesSuffixesAndMiddlesOfAtLeastFourCharacters() {
		vault.put("t1", Map.of("password", "hunter2-secret"));

		// A label cut at 60 characters, a log line with the tail, a fragment in the middle of other text.
		assertThat(vault.redact("t1", "button 'hunt'")).isEqualTo("button '{{password}}'");
		assertThat(vault.redact("t1", "value hunter2-se")).isEqualTo("value {{password}}");
		assertThat(vault.redact("t1", "ends with cret.")).isEqualTo("ends with {{password}}.");
		assertThat(vault.redact("t1", "x=er2-s;")).isEqualTo("x={{password}};");
		assertThat(vault.redact("t1", "ter2")).isEqualTo("{{password}}");
		// Three characters are not a fragment; placeholders in the text stay as they are.
		assertThat(vault.redact("t1", "hun {{password}} ret")).isEqualTo("hun {{password}} ret");
	}

	@Test
	void shortSecretsAreRedactedWholeOnly() {
		vault.put("t1", Map.of("pin", "123"));

		assertThat(vault.redact("t1", "pin 123 and 12")).isEqualTo("pin {{pin}} and 12");
	}

	@Test
	void redactsFragmentsOfEverySecretOfTheTask() {
		vault.put("t1", Map.of("user", "alice-admin", "password", "s3cr3t-pass"));

		assertThat(vault.redact("t1", "alice typed s3cr3t")).isEqualTo("{{user}} typed {{password}}");
		assertThat(vault.redact("t2", "alice typed s3cr3t")).isEqualTo("alice typed s3cr3t");
	}

	@Test
	void theTextActedOnTurnsWholeValuesOnlyIntoPlaceholders() {
		vault.put("t1", Map.of("password", "hunter2-secret"));

		assertThat(vault.redactWhole("t1", "type hunter2-secret")).isEqualTo("type {{password}}");
		// "hunting" shares "hunt" with the secret: redacted when published, but typed as the model wrote it.
		assertThat(vault.redactWhole("t1", "hunting season")).isEqualTo("hunting season");
		assertThat(vault.redact("t1", "hunting season")).isEqualTo("{{password}}ing season");
	}

}
