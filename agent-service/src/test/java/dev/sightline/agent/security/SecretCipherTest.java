package dev.sightline.agent.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretCipherTest {

	private static final String KEY = "k".repeat(SecretCipher.MIN_KEY_CHARS);

	private static final byte[] PLAIN = "{\"token\":\"s3cr3t-VALUE-4711\"}".getBytes(StandardCharsets.UTF_8);

	private final SecretCipher cipher = new SecretCipher(KEY);

	@Test
	void decryptsWhatItEncryptedForTheSameTask() {
		String sealed = cipher.encrypt("task-1", PLAIN);

		assertThat(cipher.decrypt("task-1", sealed)).isEqualTo(PLAIN);
		assertThat(new SecretCipher(KEY).decrypt("task-1", sealed)).as("another replica with the same key")
			.isEqualTo(PLAIN);
	}

	@Test
	void writesVersionByteNonceAndTaggedCiphertextAsBase64WithoutThePlaintext() {
		byte[] bytes = Base64.getDecoder().decode(cipher.encrypt("task-1", PLAIN));

		assertThat(bytes[0]).isEqualTo((byte) 1);
		assertThat(bytes).hasSize(1 + 12 + PLAIN.length + 16);
		assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
	}

	@Test
	void refusesACiphertextMovedToAnotherTask() {
		String sealed = cipher.encrypt("task-1", PLAIN);

		assertThatThrownBy(() -> cipher.decrypt("task-2", sealed)).isInstanceOf(UnreadableSecretsException.class)
			.hasMessageContaining("task-2")
			.hasMessageContaining(SecretCipher.KEY_PROPERTY);
	}

	@Test
	void refusesACiphertextWithAnyChangedByte() {
		byte[] bytes = Base64.getDecoder().decode(cipher.encrypt("task-1", PLAIN));
		for (int i = 1; i < bytes.length; i++) {
			byte[] tampered = bytes.clone();
			tampered[i] ^= 0x01;
			String text = Base64.getEncoder().encodeToString(tampered);
			assertThatThrownBy(() -> cipher.decrypt("task-1", text)).as("byte %d flipped", i)
				.isInstanceOf(UnreadableSecretsException.class);
		}
	}

	@Test
	void refusesACiphertextWrittenWithAnotherKey() {
		String sealed = new SecretCipher("x".repeat(40)).encrypt("task-1", PLAIN);

		assertThatThrownBy(() -> cipher.decrypt("task-1", sealed)).isInstanceOf(UnreadableSecretsException.class)
			.hasMessageContaining("do not decrypt with this replica's " + SecretCipher.KEY_PROPERTY);
	}

	@Test
	void refusesTextThatIsNoCiphertextOfThisFormat() {
		byte[] otherVersion = Base64.getDecoder().decode(cipher.encrypt("task-1", PLAIN));
		otherVersion[0] = 2;

		assertThatThrownBy(() -> cipher.decrypt("task-1", "not base64!")).isInstanceOf(UnreadableSecretsException.class)
			.hasMessageContaining("not base64");
		assertThatThrownBy(() -> cipher.decrypt("task-1", "AQID")).isInstanceOf(UnreadableSecretsException.class)
			.hasMessageContaining("3 bytes, shorter than the 29");
		assertThatThrownBy(() -> cipher.decrypt("task-1", Base64.getEncoder().encodeToString(otherVersion)))
			.isInstanceOf(UnreadableSecretsException.class)
			.hasMessageContaining("format version 2");
	}

	@Test
	void encryptsTheSameSecretsDifferentlyEachTime() {
		assertThat(cipher.encrypt("task-1", PLAIN)).isNotEqualTo(cipher.encrypt("task-1", PLAIN));
	}

	@Test
	void rejectsAKeyShorterThan32CharactersNamingTheSettingButNotTheKey() {
		String shortKey = "short-key-of-31-characters-abcd";

		assertThatThrownBy(() -> new SecretCipher(shortKey)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("sightline.redis.secrets-key must be at least 32 characters long, got 31")
			.hasMessageNotContaining(shortKey);
		assertThat(new SecretCipher(shortKey + "e")).as("exactly 32 characters").isNotNull();
	}

}
