package dev.sightline.agent.idempotency;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HMAC-SHA256, under a server-side key, of a request in canonical JSON (object members sorted, no whitespace):
 * two bodies that mean the same (members in another order, other spacing) hash alike, so a retry by another client
 * library is recognised. Keyed rather than a plain SHA-256 because the request holds the task's secret values: a
 * stored plain hash would let anyone who reads the store try guesses of a weak secret offline.
 */
public final class RequestHash {

	/** Bytes of a generated key (the HMAC-SHA256 block is larger, the output the same). */
	public static final int KEY_BYTES = 32;

	/** The key's file in the embedded store's data directory. */
	public static final String KEY_FILE = "idempotency-hmac.key";

	private static final String ALGORITHM = "HmacSHA256";

	private final JsonMapper canonical;

	private final SecretKeySpec key;

	public RequestHash(JsonMapper json, byte[] key) {
		if (key.length < KEY_BYTES) {
			throw new IllegalArgumentException("the request hash key must have at least " + KEY_BYTES
					+ " bytes, got " + key.length);
		}
		this.canonical = json.rebuild().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
		this.key = new SecretKeySpec(key.clone(), ALGORITHM);
	}

	/** Hex HMAC-SHA256 of {@code request} (any value Jackson can write) in canonical form. */
	public String of(Object request) {
		JsonNode tree = canonical.valueToTree(request);
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(key);
			return HexFormat.of().formatHex(mac.doFinal(canonical.writeValueAsBytes(tree)));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("every JDK has " + ALGORITHM, e);
		}
	}

	/**
	 * A key derived from a secret string shared by all replicas (Redis mode's secrets key). Derived under its own
	 * label, so it is not the AES key that string also yields.
	 */
	public static byte[] keyFromShared(String shared) {
		return sha256(("sightline idempotency request hash\n" + shared).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The key kept in {@code dir} ({@value #KEY_FILE}), made of {@value #KEY_BYTES} random bytes the first time and
	 * readable by the owner only, so a retry after a restart still matches the stored hash.
	 */
	public static byte[] keyInDirectory(Path dir) {
		Path file = dir.resolve(KEY_FILE);
		try {
			Files.createDirectories(dir);
			if (!Files.exists(file)) {
				byte[] fresh = new byte[KEY_BYTES];
				new SecureRandom().nextBytes(fresh);
				try {
					Files.write(createOwnerOnly(file), fresh, StandardOpenOption.WRITE);
				}
				catch (FileAlreadyExistsException raced) {
					// Another start made it first: use its key.
				}
			}
			byte[] key = Files.readAllBytes(file);
			if (key.length != KEY_BYTES) {
				throw new IllegalStateException(file + " must hold " + KEY_BYTES + " bytes, has " + key.length
						+ "; delete it to make a new key (pending Idempotency-Keys then no longer match)");
			}
			return key;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot keep the idempotency hash key in " + file, e);
		}
	}

	private static Path createOwnerOnly(Path file) throws IOException {
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
			return Files.createFile(file, ownerOnly);
		}
		return Files.createFile(file);
	}

	public static String sha256Hex(byte[] bytes) {
		return HexFormat.of().formatHex(sha256(bytes));
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JDK has SHA-256", e);
		}
	}

}
