package dev.sightline.agent.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for task secrets that leave the process: a fresh 12-byte nonce per message and the task id as
 * associated data, so a ciphertext decrypts only for the task it was written for. Output (base64): version byte,
 * nonce, ciphertext with its 16-byte tag. The AES key is the SHA-256 of the configured string, so any random string of
 * {@value #MIN_KEY_CHARS}+ characters (Helm's {@code randAlphaNum}) will do.
 */
public final class SecretCipher {

	/** The setting that holds the key string. */
	public static final String KEY_PROPERTY = "sightline.redis.secrets-key";

	public static final int MIN_KEY_CHARS = 32;

	private static final byte VERSION = 1;

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecretKeySpec key;

	private final SecureRandom random = new SecureRandom();

	/** @throws IllegalArgumentException when {@code keyString} is shorter than {@value #MIN_KEY_CHARS} characters */
	public SecretCipher(String keyString) {
		int chars = keyString.codePointCount(0, keyString.length());
		if (chars < MIN_KEY_CHARS) {
			// The length only: the key itself must not reach a log.
			throw new IllegalArgumentException(KEY_PROPERTY + " must be at least " + MIN_KEY_CHARS
					+ " characters long, got " + chars + "; use a random string, e.g. `openssl rand -base64 36`");
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyString.getBytes(StandardCharsets.UTF_8));
			this.key = new SecretKeySpec(digest, "AES");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("this JVM has no SHA-256", e);
		}
	}

	/** {@code plaintext} encrypted for task {@code taskId}, as base64 text. */
	public String encrypt(String taskId, byte[] plaintext) {
		byte[] nonce = new byte[NONCE_BYTES];
		random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(taskId.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext);
			return Base64.getEncoder()
				.encodeToString(ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
					.put(VERSION)
					.put(nonce)
					.put(sealed)
					.array());
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
		}
	}

	/**
	 * The plaintext {@link #encrypt} was given for the same task.
	 *
	 * @throws UnreadableSecretsException when the text is not such a ciphertext, was changed, belongs to another task
	 * or was written with another key
	 */
	public byte[] decrypt(String taskId, String encoded) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(encoded);
		}
		catch (IllegalArgumentException e) {
			throw new UnreadableSecretsException("the secrets of task " + taskId + " are not base64 text");
		}
		if (bytes.length < 1 + NONCE_BYTES + TAG_BITS / 8) {
			throw new UnreadableSecretsException("the secrets of task " + taskId + " are " + bytes.length
					+ " bytes, shorter than the " + (1 + NONCE_BYTES + TAG_BITS / 8) + " of an empty message");
		}
		if (bytes[0] != VERSION) {
			throw new UnreadableSecretsException("the secrets of task " + taskId + " have format version " + bytes[0]
					+ "; this replica reads version " + VERSION + " only");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 1, NONCE_BYTES));
			cipher.updateAAD(taskId.getBytes(StandardCharsets.UTF_8));
			return cipher.doFinal(bytes, 1 + NONCE_BYTES, bytes.length - 1 - NONCE_BYTES);
		}
		catch (AEADBadTagException e) {
			throw new UnreadableSecretsException("the secrets of task " + taskId + " do not decrypt with this "
					+ "replica's " + KEY_PROPERTY + ": the key differs from the one of the replica that accepted the "
					+ "task (or was rotated since), or the stored value was changed");
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
		}
	}

}
