package dev.sightline.tools.testing;

import java.util.Locale;

/** How {@link SightlineAi} uses its {@link LocationCache}. */
public enum CacheMode {

	/** Replay cached locations and save new ones (local development). */
	READ_WRITE,
	/** Replay cached locations, never write (CI checking a committed cache). */
	READ_ONLY,
	/** Always ask the model. */
	OFF;

	/** {@code read-write}, {@code read-only} or {@code off}, any case, {@code _} or {@code -}. */
	public static CacheMode parse(String text) {
		String name = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
		for (CacheMode mode : values()) {
			if (mode.name().equals(name)) {
				return mode;
			}
		}
		throw new IllegalArgumentException("cache mode must be read-write, read-only or off, got '" + text + "'");
	}

	boolean reads() {
		return this != OFF;
	}

	boolean writes() {
		return this == READ_WRITE;
	}

}
