package dev.sightline.vision.constrain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens that each hold one byte of a multi-byte character ("é" is C3 A9, "中" E4 B8 AD): inside a JSON string the
 * mask lets a lead byte through and then only the continuation bytes UTF-8 allows after it, keeps the closing quote
 * and every other character back until the character is whole, and never allows a byte no well-formed text has there.
 */
class Utf8ConstraintTest {

	/** Named tokens; each byte token is one raw byte. */
	private static final List<String> NAMES = new ArrayList<>();

	private static final List<byte[]> BYTES = new ArrayList<>();

	static {
		for (String text : List.of("{\"s\":\"", "\"", "}", ",", "a", "é", "\"}", "{")) {
			NAMES.add(text);
			BYTES.add(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}
		for (int b : new int[] { 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xA9, 0xAD, 0xB8, 0xBF, 0xC0, 0xC1, 0xC3, 0xE0, 0xE4, 0xED,
				0xF0, 0xF4, 0xF5, 0xFF }) {
			NAMES.add(String.format("%02X", b));
			BYTES.add(new byte[] { (byte) b });
		}
		NAMES.add("A9 b"); // the end of "é" and an ASCII letter in one token
		BYTES.add(new byte[] { (byte) 0xA9, 'b' });
		NAMES.add("E4 B8"); // the start of "中" in one token
		BYTES.add(new byte[] { (byte) 0xE4, (byte) 0xB8 });
	}

	private static final int STOP = NAMES.size();

	private static final String SCHEMA = """
			{"type": "object", "properties": {"s": {"type": "string"}}, "required": ["s"]}""";

	private final TokenTexts vocabulary = TokenTexts.fromBytes(BYTES.toArray(new byte[STOP + 1][]));

	private JsonConstraint inString() {
		JsonConstraint constraint = new JsonConstraint(JsonGrammar.fromSchema(SCHEMA), vocabulary, Set.of(STOP));
		accept(constraint, "{\"s\":\"");
		return constraint;
	}

	private static void accept(JsonConstraint constraint, String... names) {
		for (String name : names) {
			constraint.accept(NAMES.indexOf(name));
		}
	}

	/** The names of the tokens the mask allows now. */
	private static Set<String> allowed(JsonConstraint constraint) {
		float[] logits = new float[STOP + 1];
		constraint.mask(logits, 1000);
		Set<String> names = new java.util.TreeSet<>();
		for (int id = 0; id < STOP; id++) {
			if (logits[id] != Float.NEGATIVE_INFINITY) {
				names.add(NAMES.get(id));
			}
		}
		return names;
	}

	@Test
	void atACharacterBoundaryOnlyLeadBytesStartACharacter() {
		assertThat(allowed(inString())).as("leads, whole characters, the closing quote; no lone continuation, C0/C1, F5..FF")
			.containsExactlyInAnyOrder("\"", "\"}", "{", "}", ",", "a", "é", "C3", "E0", "E4", "ED", "F0", "F4", "E4 B8");
	}

	@Test
	void aLeadByteIsFollowedOnlyByTheContinuationsItAllows() {
		JsonConstraint afterC3 = inString();
		accept(afterC3, "C3");
		assertThat(allowed(afterC3)).as("after C3 any continuation 80..BF, and nothing else: no quote, no '}', no ','")
			.containsExactlyInAnyOrder("80", "8F", "90", "9F", "A0", "A9", "AD", "B8", "BF", "A9 b");
		JsonConstraint afterE0 = inString();
		accept(afterE0, "E0");
		assertThat(allowed(afterE0)).as("E0 80..9F would be overlong").containsExactlyInAnyOrder("A0", "A9", "AD", "B8",
				"BF");
		JsonConstraint afterEd = inString();
		accept(afterEd, "ED");
		assertThat(allowed(afterEd)).as("ED A0..BF would be a surrogate").containsExactlyInAnyOrder("80", "8F", "90",
				"9F");
		JsonConstraint afterF0 = inString();
		accept(afterF0, "F0");
		assertThat(allowed(afterF0)).as("F0 80..8F would be overlong; 'b' after A9 comes with two still due")
			.containsExactlyInAnyOrder("90", "9F", "A0", "A9", "AD", "B8", "BF");
		JsonConstraint afterF4 = inString();
		accept(afterF4, "F4");
		assertThat(allowed(afterF4)).as("F4 90..BF would be past U+10FFFF").containsExactlyInAnyOrder("80", "8F");
	}

	@Test
	void theStringClosesOnlyOnceTheCharacterIsWhole() {
		JsonConstraint constraint = inString();
		accept(constraint, "E4", "B8");
		assertThat(allowed(constraint)).as("one continuation due: no quote, no lead, no 'a'").doesNotContain("\"", "\"}",
				"a", "é", "C3", "E4 B8").contains("AD");
		accept(constraint, "AD");
		assertThat(allowed(constraint)).contains("\"", "\"}", "a", "é", "C3").doesNotContain("AD", "80");
		accept(constraint, "E4 B8", "AD", "C3", "A9 b", "\"}");
		assertThat(constraint.complete()).isTrue();
	}

	@Test
	void aPartialTokensTextShowsTheReplacementCharacterAndAWholeCharacterIsOneChar() {
		assertThat(vocabulary.text(NAMES.indexOf("C3"))).isEqualTo("\uFFFD");
		assertThat(vocabulary.text(NAMES.indexOf("A9 b"))).isEqualTo("\uFFFDb");
		assertThat(vocabulary.text(NAMES.indexOf("é"))).isEqualTo("é");
		assertThat(vocabulary.text(STOP)).isNull();
		assertThat(Arrays.copyOfRange(vocabulary.units(), vocabulary.start(NAMES.indexOf("E4 B8")),
				vocabulary.end(NAMES.indexOf("E4 B8")))).containsExactly(TokenTexts.RAW_BYTE + 0xE4,
						TokenTexts.RAW_BYTE + 0xB8);
	}

	@Test
	void outsideAStringNoRawByteIsAllowed() {
		JsonConstraint constraint = new JsonConstraint(JsonGrammar.anyObject(), vocabulary, Set.of(STOP));
		assertThat(allowed(constraint)).containsExactlyInAnyOrder("{\"s\":\"", "{");
	}

	@Test
	void aByteWrittenCharacterCountsTowardsMaxLength() {
		JsonConstraint constraint = new JsonConstraint(JsonGrammar.fromSchema("""
				{"type": "object", "properties": {"s": {"type": "string", "maxLength": 1}}, "required": ["s"]}"""),
				vocabulary, Set.of(STOP));
		accept(constraint, "{\"s\":\"", "C3", "A9");
		assertThat(allowed(constraint)).containsExactlyInAnyOrder("\"", "\"}");
	}

}
