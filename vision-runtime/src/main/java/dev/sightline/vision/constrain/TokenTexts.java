package dev.sightline.vision.constrain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What every id of a vocabulary writes, built once per model, for checking tokens against a grammar. Added tokens
 * (the chat template's markers) and ids past the tokenizer have nothing: they never appear inside constrained text.
 * The function-call tags ({@code <tool_call>}) keep their text, for the wrapper of a forced call.
 * <p>
 * A token is kept as its raw bytes, not its decoded text: a byte-level BPE token may hold part of a UTF-8
 * character, whose text is only U+FFFD, and a grammar fed that text could not tell a lead byte from a continuation
 * — so consecutive partial tokens could write bytes that are not UTF-8. The bytes become the <em>units</em>
 * {@link JsonRecognizer} reads: each well-formed character as its UTF-16 chars (ASCII included), and each byte that
 * is not part of a whole character in this token as {@link #RAW_BYTE} plus the byte. Only a JSON string takes raw
 * bytes, and only in an order that keeps it well-formed UTF-8, so constrained text is valid UTF-8 by construction.
 */
public final class TokenTexts {

	/** A unit at or above this is a lone byte ({@code unit - RAW_BYTE}, 0x80..0xFF), not a char. */
	public static final int RAW_BYTE = 0x10000;

	/** Above every unit: the size of a table indexed by unit. */
	static final int UNIT_LIMIT = RAW_BYTE + 0x100;

	/** The units of all tokens, one after another. */
	private final int[] units;

	/** Token id's units are {@code units[starts[id]]} to {@code units[starts[id + 1]]} (exclusive). */
	private final int[] starts;

	private TokenTexts(byte[][] bytes) {
		starts = new int[bytes.length + 1];
		int total = 0;
		for (byte[] token : bytes) {
			total += token == null ? 0 : token.length;
		}
		int[] all = new int[total];
		int size = 0;
		for (int id = 0; id < bytes.length; id++) {
			starts[id] = size;
			if (bytes[id] != null) {
				size = appendUnits(bytes[id], all, size);
			}
		}
		starts[bytes.length] = size;
		units = Arrays.copyOf(all, size);
	}

	/** The vocabulary of a tokenizer's raw token bytes (null for an id that never belongs in constrained text). */
	public static TokenTexts fromBytes(byte[][] bytes) {
		return new TokenTexts(bytes);
	}

	/** A vocabulary of whole-character texts (their UTF-8 bytes); null for an id that never belongs. */
	public static TokenTexts fromTexts(String[] texts) {
		byte[][] bytes = new byte[texts.length][];
		for (int i = 0; i < texts.length; i++) {
			bytes[i] = texts[i] == null ? null : texts[i].getBytes(StandardCharsets.UTF_8);
		}
		return new TokenTexts(bytes);
	}

	/**
	 * The text of {@code id} for messages (a lone byte shows as U+FFFD), or null when it never belongs in
	 * constrained text.
	 */
	public String text(int id) {
		if (id < 0 || id >= size() || starts[id] == starts[id + 1]) {
			return null;
		}
		StringBuilder text = new StringBuilder();
		for (int i = starts[id]; i < starts[id + 1]; i++) {
			text.append(units[i] >= RAW_BYTE ? '\uFFFD' : (char) units[i]);
		}
		return text.toString();
	}

	public int size() {
		return starts.length - 1;
	}

	/** All tokens' units; token {@code id}'s run from {@link #start(int)} to {@link #end(int)}. Not a copy. */
	int[] units() {
		return units;
	}

	/** Index of {@code id}'s first unit in {@link #units()} ({@code start == end} when it never belongs). */
	int start(int id) {
		return starts[id];
	}

	int end(int id) {
		return starts[id + 1];
	}

	/**
	 * Writes the units of {@code bytes} into {@code out} from {@code at} on; returns the index after the last. A
	 * byte sequence is a character only when it is whole and well-formed (Unicode's table 3-7: no overlongs, no
	 * surrogates, nothing past U+10FFFF); every other byte of 0x80 and above is a raw byte unit.
	 */
	private static int appendUnits(byte[] bytes, int[] out, int at) {
		int i = 0;
		while (i < bytes.length) {
			int b = bytes[i] & 0xFF;
			if (b < 0x80) {
				out[at++] = b;
				i++;
				continue;
			}
			int length = Utf8.sequenceLength(bytes, i);
			if (length > 0) {
				String character = new String(bytes, i, length, StandardCharsets.UTF_8);
				for (int k = 0; k < character.length(); k++) {
					out[at++] = character.charAt(k);
				}
				i += length;
			}
			else {
				out[at++] = RAW_BYTE + b;
				i++;
			}
		}
		return at;
	}

}
