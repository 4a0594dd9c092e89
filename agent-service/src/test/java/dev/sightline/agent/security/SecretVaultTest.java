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

}
