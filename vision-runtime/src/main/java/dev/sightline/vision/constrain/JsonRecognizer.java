package dev.sightline.vision.constrain;

import java.util.ArrayList;
import java.util.List;

import dev.sightline.vision.constrain.JsonGrammar.AnyNode;
import dev.sightline.vision.constrain.JsonGrammar.ArrayNode;
import dev.sightline.vision.constrain.JsonGrammar.CallNode;
import dev.sightline.vision.constrain.JsonGrammar.LiteralNode;
import dev.sightline.vision.constrain.JsonGrammar.Node;
import dev.sightline.vision.constrain.JsonGrammar.NumberNode;
import dev.sightline.vision.constrain.JsonGrammar.ObjectNode;
import dev.sightline.vision.constrain.JsonGrammar.StringNode;

/**
 * An incremental recognizer of the text a {@link JsonGrammar} allows, one unit at a time: a char, or inside a
 * string a raw byte of a character a byte-level token holds only part of ({@link TokenTexts}), checked to stay
 * well-formed UTF-8. A state is an immutable stack of frames (one per open value), so trying a token is feeding its
 * units to the current state and keeping or dropping the result — no copying, no undo. Each state knows the number
 * of units of the shortest text that completes it ({@link #minRemaining()}, a continuation byte still due counting
 * one), and some single unit always brings that down by one: that is what lets the decoder close the JSON before the
 * token limit.
 */
public final class JsonRecognizer {

	private final Stack stack;

	private JsonRecognizer(Stack stack) {
		this.stack = stack;
	}

	/** The state before the first character. */
	public static JsonRecognizer start(JsonGrammar grammar) {
		return new JsonRecognizer(Stack.push(Stack.push(null, new Root(false)), new Value(grammar.root())));
	}

	/** The state after {@code text}, or null when the grammar does not allow it here. */
	public JsonRecognizer feed(CharSequence text) {
		return feed(text, 0);
	}

	/** The state after {@code text} from index {@code from} on, or null when the grammar does not allow it here. */
	public JsonRecognizer feed(CharSequence text, int from) {
		Stack s = stack;
		for (int i = from; i < text.length() && s != null; i++) {
			s = feed(s, text.charAt(i));
		}
		return s == null ? null : new JsonRecognizer(s);
	}

	/** The state after {@code units[from]} to {@code units[to]} (exclusive; see {@link TokenTexts}), or null. */
	JsonRecognizer feed(int[] units, int from, int to) {
		Stack s = stack;
		for (int i = from; i < to && s != null; i++) {
			s = feed(s, units[i]);
		}
		return s == null ? null : new JsonRecognizer(s);
	}

	/** True when the text so far is a whole value of the grammar (nothing more may follow). */
	public boolean complete() {
		return stack.head instanceof Root root && root.done;
	}

	/** Length of the shortest text that completes the value (0 once complete). */
	public int minRemaining() {
		return stack.minSum;
	}

	private static Stack feed(Stack s, int c) {
		while (s != null) {
			Outcome outcome = s.head.feed(c);
			switch (outcome) {
				case Reject r -> {
					return null;
				}
				case Consumed(Frame self, Frame child) -> {
					Stack next = Stack.push(s.tail, self);
					return child == null ? next : Stack.push(next, child);
				}
				case Pushed(Frame self, Frame child) -> s = Stack.push(Stack.push(s.tail, self), child);
				case Completed k -> s = pop(s);
				case Finished f -> {
					return pop(s);
				}
			}
		}
		return null;
	}

	private static Stack pop(Stack s) {
		if (s.tail == null) {
			return null;
		}
		return Stack.push(s.tail.tail, s.tail.head.childDone(s.head));
	}

	private record Stack(Frame head, Stack tail, int minSum) {

		static Stack push(Stack tail, Frame head) {
			return new Stack(head, tail, head.minRemaining() + (tail == null ? 0 : tail.minSum));
		}

	}

	private sealed interface Outcome permits Reject, Consumed, Pushed, Completed, Finished {
	}

	/** The character is not allowed. */
	private record Reject() implements Outcome {
		static final Reject INSTANCE = new Reject();
	}

	/** The character was taken: the frame becomes {@code self}, with {@code child} (if any) opened above it. */
	private record Consumed(Frame self, Frame child) implements Outcome {
	}

	/** The frame becomes {@code self} and opens {@code child}, which gets the character. */
	private record Pushed(Frame self, Frame child) implements Outcome {
	}

	/** The frame was already whole; the character belongs to its parent. */
	private record Completed() implements Outcome {
		static final Completed INSTANCE = new Completed();
	}

	/** The character was taken and closes the frame. */
	private record Finished() implements Outcome {
		static final Finished INSTANCE = new Finished();
	}

	private static final Outcome REJECT = Reject.INSTANCE;

	private sealed interface Frame
			permits Root, Value, ObjectFrame, ArrayFrame, StringFrame, NumberFrame, LiteralFrame, CallFrame {

		/** Takes one unit: a char, or a raw byte ({@link TokenTexts#RAW_BYTE}), which only a string accepts. */
		Outcome feed(int c);

		/** Shortest text that finishes this frame, assuming its open child (if any) costs nothing more. */
		int minRemaining();

		default Frame childDone(Frame child) {
			throw new IllegalStateException(getClass().getSimpleName() + " has no children");
		}

	}

	private record Root(boolean done) implements Frame {

		@Override
		public Outcome feed(int c) {
			return REJECT;
		}

		@Override
		public int minRemaining() {
			return 0;
		}

		@Override
		public Frame childDone(Frame child) {
			return new Root(true);
		}

	}

	/** A value of {@code node} whose first character has not come yet. */
	private record Value(Node node) implements Frame {

		@Override
		public Outcome feed(int c) {
			return switch (node) {
				case ObjectNode object -> c == '{' ? new Consumed(new ObjectFrame(object, Phase.OPEN, 0, -1), null)
						: REJECT;
				case ArrayNode array -> c == '[' ? new Consumed(new ArrayFrame(array, Phase.OPEN, 0), null) : REJECT;
				case StringNode string -> c == '"' ? new Consumed(new StringFrame(string, 0, 0, Utf8.BOUNDARY), null) : REJECT;
				case NumberNode number -> new NumberFrame(number.integer(), 0).feed(c);
				case LiteralNode literal -> LiteralFrame.of(literal.texts()).feed(c);
				case CallNode call -> new CallFrame(call, CallFrame.OPEN, 0, -1).feed(c);
				case AnyNode any -> switch (c) {
					case '{' -> new Consumed(new ObjectFrame(new ObjectNode(List.of(), true), Phase.OPEN, 0, -1), null);
					case '[' -> new Consumed(new ArrayFrame(new ArrayNode(AnyNode.INSTANCE, 0, Integer.MAX_VALUE),
							Phase.OPEN, 0), null);
					case '"' -> new Consumed(new StringFrame(StringNode.ANY, 0, 0, Utf8.BOUNDARY), null);
					case 't', 'f', 'n' -> LiteralFrame.of(LiteralNode.TRUE_FALSE_NULL.texts()).feed(c);
					default -> new NumberFrame(false, 0).feed(c);
				};
			};
		}

		@Override
		public int minRemaining() {
			return node.minLength();
		}

	}

	private enum Phase {
		/** After '{' or '['. */
		OPEN,
		/** A key is being read. */
		KEY,
		/** A key was read; ':' comes next. */
		AFTER_KEY,
		/** A value is being read. */
		VALUE,
		/** A value ended; ',' or the close comes next. */
		AFTER_VALUE,
		/** After ','. */
		COMMA
	}

	/**
	 * An object: {@code next} is the index of the first property not yet decided, {@code key} the property whose key
	 * was just read (schema objects); a free object has no properties.
	 */
	private record ObjectFrame(ObjectNode node, Phase phase, int next, int key) implements Frame {

		@Override
		public Outcome feed(int c) {
			return switch (phase) {
				case OPEN, COMMA -> {
					if (c == '}' && phase == Phase.OPEN && (node.free() || node.mayClose(next))) {
						yield Finished.INSTANCE;
					}
					if (c != '"') {
						yield REJECT;
					}
					if (node.free()) {
						yield new Consumed(new ObjectFrame(node, Phase.KEY, next, -1),
								new StringFrame(StringNode.ANY, 0, 0, Utf8.BOUNDARY));
					}
					List<Integer> candidates = node.candidates(next);
					if (candidates.isEmpty()) {
						yield REJECT;
					}
					List<String> keys = new ArrayList<>();
					int[] tails = new int[candidates.size()];
					for (int i = 0; i < candidates.size(); i++) {
						keys.add(node.properties().get(candidates.get(i)).key());
						tails[i] = node.tail(candidates.get(i));
					}
					yield new Pushed(new ObjectFrame(node, Phase.KEY, next, -1), new LiteralFrame(keys, tails, 0));
				}
				case AFTER_KEY -> c == ':' ? new Consumed(new ObjectFrame(node, Phase.VALUE, next, key),
						new Value(node.free() ? AnyNode.INSTANCE : node.properties().get(key).value())) : REJECT;
				case AFTER_VALUE -> {
					if (c == '}' && (node.free() || node.mayClose(next))) {
						yield Finished.INSTANCE;
					}
					if (c == ',' && (node.free() || !node.candidates(next).isEmpty())) {
						yield new Consumed(new ObjectFrame(node, Phase.COMMA, next, -1), null);
					}
					yield REJECT;
				}
				case KEY, VALUE -> throw new IllegalStateException("an object reading a " + phase + " gets no characters");
			};
		}

		@Override
		public Frame childDone(Frame child) {
			if (phase == Phase.KEY) {
				if (node.free()) {
					return new ObjectFrame(node, Phase.AFTER_KEY, next, -1);
				}
				String key = ((LiteralFrame) child).matchedText();
				for (int k : node.candidates(next)) {
					if (node.properties().get(k).key().equals(key)) {
						return new ObjectFrame(node, Phase.AFTER_KEY, k + 1, k);
					}
				}
				throw new IllegalStateException("key " + key + " is not a candidate");
			}
			return new ObjectFrame(node, Phase.AFTER_VALUE, next, -1);
		}

		@Override
		public int minRemaining() {
			if (node.free()) {
				return switch (phase) {
					case OPEN, VALUE, AFTER_VALUE -> 1;
					case KEY, AFTER_KEY -> 3; // ':', the shortest value, '}'
					case COMMA -> 5; // "", ':', value, '}'
				};
			}
			return switch (phase) {
				case OPEN -> node.openMin();
				case COMMA -> node.keyMin(next);
				case KEY -> 0; // the key literal carries the cost of what follows each candidate
				case AFTER_KEY -> node.tail(key);
				case VALUE, AFTER_VALUE -> node.rest(next);
			};
		}

	}

	/**
	 * A function call, part by part: the fixed {@code open} text ({@code matched} characters in), the name (a
	 * literal child), the fixed text before the arguments, the arguments of function {@code chosen} (a value child),
	 * the fixed {@code close} text.
	 */
	private record CallFrame(CallNode node, int part, int matched, int chosen) implements Frame {

		static final int OPEN = 0;

		static final int NAME = 1;

		static final int BETWEEN = 2;

		static final int ARGUMENTS = 3;

		static final int CLOSE = 4;

		@Override
		public Outcome feed(int c) {
			String fixed = switch (part) {
				case OPEN -> node.open();
				case BETWEEN -> node.between();
				case CLOSE -> node.close();
				default -> throw new IllegalStateException("a call reading its name or arguments gets no characters");
			};
			if (fixed.charAt(matched) != c) {
				return REJECT;
			}
			if (matched + 1 < fixed.length()) {
				return new Consumed(new CallFrame(node, part, matched + 1, chosen), null);
			}
			return switch (part) {
				case OPEN -> {
					int[] tails = new int[node.names().size()];
					for (int i = 0; i < tails.length; i++) {
						tails[i] = node.tail(i);
					}
					yield new Consumed(new CallFrame(node, NAME, 0, -1), new LiteralFrame(node.names(), tails, 0));
				}
				case BETWEEN -> new Consumed(new CallFrame(node, ARGUMENTS, 0, chosen),
						new Value(node.arguments().get(chosen)));
				default -> Finished.INSTANCE;
			};
		}

		@Override
		public Frame childDone(Frame child) {
			if (part == NAME) {
				int index = node.names().indexOf(((LiteralFrame) child).matchedText());
				return new CallFrame(node, BETWEEN, 0, index);
			}
			return new CallFrame(node, CLOSE, 0, chosen);
		}

		@Override
		public int minRemaining() {
			return switch (part) {
				case OPEN -> node.minLength() - matched;
				case NAME -> 0; // the name literal carries the cost of what follows each name
				case BETWEEN -> node.tail(chosen) - matched;
				case ARGUMENTS -> node.close().length();
				default -> node.close().length() - matched;
			};
		}

	}

	/** An array of which {@code count} values have started. */
	private record ArrayFrame(ArrayNode node, Phase phase, int count) implements Frame {

		@Override
		public Outcome feed(int c) {
			return switch (phase) {
				case OPEN -> {
					if (c == ']' && node.minItems() == 0) {
						yield Finished.INSTANCE;
					}
					yield node.maxItems() > 0 ? new Pushed(new ArrayFrame(node, Phase.VALUE, 1), new Value(node.items()))
							: REJECT;
				}
				case COMMA -> new Pushed(new ArrayFrame(node, Phase.VALUE, count + 1), new Value(node.items()));
				case AFTER_VALUE -> {
					if (c == ']' && count >= node.minItems()) {
						yield Finished.INSTANCE;
					}
					yield c == ',' && count < node.maxItems() ? new Consumed(new ArrayFrame(node, Phase.COMMA, count), null)
							: REJECT;
				}
				default -> throw new IllegalStateException("an array reading a value gets no characters");
			};
		}

		@Override
		public Frame childDone(Frame child) {
			return new ArrayFrame(node, Phase.AFTER_VALUE, count);
		}

		@Override
		public int minRemaining() {
			int v = node.items().minLength();
			return switch (phase) {
				case OPEN -> node.openMin();
				case COMMA -> v + (Math.max(1, node.minItems() - count) - 1) * (v + 1) + 1;
				default -> Math.max(0, node.minItems() - count) * (v + 1) + 1;
			};
		}

	}

	/**
	 * Inside a string: {@code chars} (UTF-16) read so far; {@code escape} 0 outside an escape, 1 right after a
	 * backslash, 2..5 while 4..1 hex digits of a {@code \\u} escape are missing; {@code utf8} the {@link Utf8} state
	 * of the raw bytes of a character written byte by byte (counted at its lead byte). Only a continuation byte may
	 * follow a lead byte, so the closing quote, an escape or another character waits for the character's end.
	 */
	private record StringFrame(StringNode node, int chars, int escape, int utf8) implements Frame {

		@Override
		public Outcome feed(int c) {
			if (c >= TokenTexts.RAW_BYTE) {
				return feedByte(c - TokenTexts.RAW_BYTE);
			}
			if (utf8 != Utf8.BOUNDARY) {
				return REJECT;
			}
			if (escape == 1) {
				if ("\"\\/bfnrt".indexOf(c) >= 0) {
					return new Consumed(new StringFrame(node, chars + 1, 0, utf8), null);
				}
				return c == 'u' ? new Consumed(new StringFrame(node, chars, 5, utf8), null) : REJECT;
			}
			if (escape > 1) {
				if (Character.digit(c, 16) < 0) {
					return REJECT;
				}
				return new Consumed(new StringFrame(node, escape == 2 ? chars + 1 : chars, escape == 2 ? 0 : escape - 1,
						utf8), null);
			}
			if (c == '"') {
				return chars >= node.minChars() ? Finished.INSTANCE : REJECT;
			}
			if (c < 0x20 || chars >= node.maxChars()) {
				return REJECT;
			}
			return new Consumed(new StringFrame(node, c == '\\' ? chars : chars + 1, c == '\\' ? 1 : 0, utf8), null);
		}

		private Outcome feedByte(int b) {
			if (escape != 0) {
				return REJECT;
			}
			if (utf8 != Utf8.BOUNDARY) {
				int next = Utf8.afterContinuation(utf8, b);
				return next == Utf8.INVALID ? REJECT : new Consumed(new StringFrame(node, chars, 0, next), null);
			}
			int next = Utf8.afterLead(b);
			int width = Utf8.utf16Length(b);
			if (next == Utf8.INVALID || chars + width > node.maxChars()) {
				return REJECT;
			}
			return new Consumed(new StringFrame(node, chars + width, 0, next), null);
		}

		@Override
		public int minRemaining() {
			int pending = escape == 0 ? 0 : escape == 1 ? 1 : escape - 1;
			int counted = chars + (escape == 0 ? 0 : 1);
			return Utf8.pending(utf8) + pending + Math.max(0, node.minChars() - counted) + 1;
		}

	}

	/**
	 * A number, by the states of JSON's number grammar: 0 start, 1 after '-', 2 after a leading '0', 3 in the
	 * integer digits, 4 after '.', 5 in the fraction, 6 after 'e', 7 after the exponent's sign, 8 in the exponent.
	 */
	private record NumberFrame(boolean integer, int state) implements Frame {

		@Override
		public Outcome feed(int c) {
			boolean digit = c >= '0' && c <= '9';
			int next = switch (state) {
				case 0 -> c == '-' ? 1 : c == '0' ? 2 : digit ? 3 : -1;
				case 1 -> c == '0' ? 2 : digit ? 3 : -1;
				case 2 -> c == '.' ? 4 : c == 'e' || c == 'E' ? 6 : -1;
				case 3 -> digit ? 3 : c == '.' ? 4 : c == 'e' || c == 'E' ? 6 : -1;
				case 4, 5 -> digit ? 5 : state == 5 && (c == 'e' || c == 'E') ? 6 : -1;
				case 6 -> c == '+' || c == '-' ? 7 : digit ? 8 : -1;
				default -> digit ? 8 : -1;
			};
			if (integer && (next == 4 || next == 6)) {
				next = -1;
			}
			if (next >= 0) {
				return new Consumed(new NumberFrame(integer, next), null);
			}
			return minRemaining() == 0 ? Completed.INSTANCE : REJECT;
		}

		@Override
		public int minRemaining() {
			return switch (state) {
				case 2, 3, 5, 8 -> 0;
				default -> 1;
			};
		}

	}

	/**
	 * One of {@code texts}, {@code matched} characters in; {@code tails[i]} is what the parent still needs after
	 * text i (so the shortest way on is known while the choice is open).
	 */
	private record LiteralFrame(List<String> texts, int[] tails, int matched) implements Frame {

		static LiteralFrame of(List<String> texts) {
			return new LiteralFrame(texts, new int[texts.size()], 0);
		}

		@Override
		public Outcome feed(int c) {
			List<String> kept = new ArrayList<>();
			List<Integer> keptTails = new ArrayList<>();
			boolean whole = false;
			for (int i = 0; i < texts.size(); i++) {
				String text = texts.get(i);
				if (text.length() > matched && text.charAt(matched) == c) {
					kept.add(text);
					keptTails.add(tails[i]);
				}
				whole |= text.length() == matched;
			}
			if (!kept.isEmpty()) {
				LiteralFrame next = new LiteralFrame(kept, keptTails.stream().mapToInt(Integer::intValue).toArray(),
						matched + 1);
				return new Consumed(next, null);
			}
			return whole ? Completed.INSTANCE : REJECT;
		}

		String matchedText() {
			for (String text : texts) {
				if (text.length() == matched) {
					return text;
				}
			}
			throw new IllegalStateException("no literal is complete");
		}

		@Override
		public int minRemaining() {
			int best = Integer.MAX_VALUE;
			for (int i = 0; i < texts.size(); i++) {
				best = Math.min(best, texts.get(i).length() - matched + tails[i]);
			}
			return best;
		}

	}

}
