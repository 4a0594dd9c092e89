package dev.sightline.vision.constrain;

/**
 * UTF-8 well-formedness byte by byte, as Unicode's table 3-7 defines it: a lead byte C2..F4 and then exactly the
 * continuation bytes it announces, where the second byte after E0, ED, F0 and F4 is narrowed (no overlong forms,
 * no surrogates D800..DFFF, nothing past U+10FFFF); 80..C1 and F5..FF never lead. A state is the number of
 * continuation bytes still due and the range the next one must lie in; {@link #BOUNDARY} is between characters.
 */
final class Utf8 {

	/** Between characters: no continuation byte is due. */
	static final int BOUNDARY = 0;

	/** Not well-formed. */
	static final int INVALID = -1;

	private Utf8() {
	}

	/** The state after lead byte {@code b} (0x80..0xFF), or {@link #INVALID} when {@code b} cannot start a character. */
	static int afterLead(int b) {
		if (b >= 0xC2 && b <= 0xDF) {
			return state(1, 0x80, 0xBF);
		}
		return switch (b) {
			case 0xE0 -> state(2, 0xA0, 0xBF);
			case 0xED -> state(2, 0x80, 0x9F);
			case 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xEE, 0xEF -> state(2, 0x80, 0xBF);
			case 0xF0 -> state(3, 0x90, 0xBF);
			case 0xF1, 0xF2, 0xF3 -> state(3, 0x80, 0xBF);
			case 0xF4 -> state(3, 0x80, 0x8F);
			default -> INVALID;
		};
	}

	/** The state after continuation byte {@code b} in {@code state} (not {@link #BOUNDARY}), or {@link #INVALID}. */
	static int afterContinuation(int state, int b) {
		if (b < ((state >> 8) & 0xFF) || b > (state & 0xFF)) {
			return INVALID;
		}
		int due = pending(state) - 1;
		return due == 0 ? BOUNDARY : state(due, 0x80, 0xBF);
	}

	/** Continuation bytes still due in {@code state}. */
	static int pending(int state) {
		return state >> 16;
	}

	/** UTF-16 chars of the character lead byte {@code b} starts: 2 for F0..F4 (a surrogate pair), else 1. */
	static int utf16Length(int leadByte) {
		return leadByte >= 0xF0 ? 2 : 1;
	}

	/**
	 * The length of the whole well-formed multi-byte character at {@code bytes[from]}, or 0 when the bytes there are
	 * not one (a lone continuation, an invalid lead, or a character cut off by the end of {@code bytes}).
	 */
	static int sequenceLength(byte[] bytes, int from) {
		int state = afterLead(bytes[from] & 0xFF);
		int i = from + 1;
		while (state > BOUNDARY && i < bytes.length) {
			state = afterContinuation(state, bytes[i++] & 0xFF);
		}
		return state == BOUNDARY ? i - from : 0;
	}

	private static int state(int due, int low, int high) {
		return due << 16 | low << 8 | high;
	}

}
