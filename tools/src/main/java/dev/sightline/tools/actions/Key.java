package dev.sightline.tools.actions;

import java.util.List;

import dev.sightline.tools.keys.KeyNames;

/**
 * {@code key}: press the keys in order and release them in reverse, i.e. a chord such as Control+Shift+T. The keys
 * are kept in canonical form ({@link KeyNames#canonical}), whatever spelling the model used.
 */
public record Key(List<String> keys) implements Action {

	public static final String NAME = "key";

	public Key {
		keys = KeyNames.chord(keys);
	}

	public static Key of(String... keys) {
		return new Key(List.of(keys));
	}

	@Override
	public String name() {
		return NAME;
	}

}
