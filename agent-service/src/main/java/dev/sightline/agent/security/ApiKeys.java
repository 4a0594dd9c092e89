package dev.sightline.agent.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configured keys, each a tenant. Only SHA-256 hashes are kept: a heap dump or a log never shows a key.
 * Entries are {@code tenant=key}.
 */
public final class ApiKeys {

	/** Tenant names are ids in URLs, logs and the store. */
	static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

	/** Shorter keys are guessable. */
	static final int MIN_KEY_LENGTH = 16;

	private record Entry(String tenant, byte[] hash) {
	}

	private final List<Entry> entries;

	private ApiKeys(List<Entry> entries) {
		this.entries = List.copyOf(entries);
	}

	public static ApiKeys parse(List<String> configured) {
		List<Entry> entries = new ArrayList<>();
		for (int i = 0; i < configured.size(); i++) {
			String entry = configured.get(i).strip();
			int eq = entry.indexOf('=');
			if (eq <= 0 || eq == entry.length() - 1) {
				throw new IllegalArgumentException("sightline.security.api-keys[" + i
						+ "] must be 'tenant=key' (the key is not repeated here)");
			}
			String tenant = entry.substring(0, eq).strip();
			String key = entry.substring(eq + 1).strip();
			if (!TENANT.matcher(tenant).matches()) {
				throw new IllegalArgumentException("sightline.security.api-keys[" + i + "]: tenant '" + tenant
						+ "' must match " + TENANT.pattern());
			}
			if (key.length() < MIN_KEY_LENGTH) {
				throw new IllegalArgumentException("sightline.security.api-keys[" + i + "]: the key of tenant '" + tenant
						+ "' has " + key.length() + " characters, fewer than the minimum of " + MIN_KEY_LENGTH);
			}
			byte[] hash = sha256(key);
			for (Entry other : entries) {
				if (MessageDigest.isEqual(other.hash(), hash)) {
					throw new IllegalArgumentException("sightline.security.api-keys[" + i + "]: tenant '" + tenant
							+ "' reuses the key of tenant '" + other.tenant() + "'");
				}
			}
			entries.add(new Entry(tenant, hash));
		}
		return new ApiKeys(entries);
	}

	public boolean isEmpty() {
		return entries.isEmpty();
	}

	/** The tenant owning {@code key}, compared in constant time against every entry. */
	public Optional<String> tenantOf(String key) {
		byte[] hash = sha256(key);
		String found = null;
		for (Entry entry : entries) {
			if (MessageDigest.isEqual(entry.hash(), hash)) {
				found = entry.tenant();
			}
		}
		return Optional.ofNullable(found);
	}

	private static byte[] sha256(String key) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JDK has SHA-256", e);
		}
	}

}
