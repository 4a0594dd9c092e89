package dev.sightline.vision.tokenizer;

import java.util.Arrays;

/**
 * Turns generated ids into text pieces as they arrive without ever emitting half of a multi-byte character: a
 * byte-level BPE token may hold part of a UTF-8 sequence, which decodes to U+FFFD until the rest arrives. Like the
 * reference streamers, each step decodes a short window of ids and emits only what the new id added.
 */
public final class StreamingDecoder {

	private static final char REPLACEMENT = '\uFFFD';

	private final QwenTokenizer tokenizer;

	private final boolean skipSpecialTokens;

	private long[] ids = new long[16];

	private int size;

	/** Start of the ids whose text was already emitted as a prefix of the window. */
	private int prefixStart;

	/** End of the ids whose text is already emitted. */
	private int emittedEnd;

	public StreamingDecoder(QwenTokenizer tokenizer, boolean skipSpecialTokens) {
		this.tokenizer = tokenizer;
		this.skipSpecialTokens = skipSpecialTokens;
	}

	/** Adds one generated id; returns the new text it completes, possibly empty. */
	public String push(long id) {
		if (size == ids.length) {
			ids = Arrays.copyOf(ids, size * 2);
		}
		ids[size++] = id;
		String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, emittedEnd), skipSpecialTokens);
		String window = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, size), skipSpecialTokens);
		if (window.length() > prefix.length() && window.charAt(window.length() - 1) != REPLACEMENT
				&& window.startsWith(prefix)) {
			String piece = window.substring(prefix.length());
			prefixStart = emittedEnd;
			emittedEnd = size;
			return piece;
		}
		return "";
	}

	/** Whatever is still held back (an incomplete character at the end of generation decodes as U+FFFD). */
	public String flush() {
		String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, emittedEnd), skipSpecialTokens);
		String window = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, size), skipSpecialTokens);
		prefixStart = size;
		emittedEnd = size;
		return window.length() > prefix.length() ? window.substring(prefix.length()) : "";
	}

}
