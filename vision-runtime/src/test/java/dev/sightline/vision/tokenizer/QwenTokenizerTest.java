package dev.sightline.vision.tokenizer;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QwenTokenizerTest {

	static QwenTokenizer tokenizer;

	@BeforeAll
	static void load() {
		tokenizer = QwenTokenizer.fromClasspath(QwenTokenizer.BUNDLED_QWEN2_5);
	}

	@AfterAll
	static void close() {
		tokenizer.close();
	}

	@Test
	void specialTokensHaveTheirQwenIds() {
		assertThat(tokenizer.tokenId(QwenTokenizer.IM_START)).isEqualTo(151644);
		assertThat(tokenizer.tokenId(QwenTokenizer.IM_END)).isEqualTo(151645);
		assertThat(tokenizer.tokenId(QwenTokenizer.VISION_START)).isEqualTo(151652);
		assertThat(tokenizer.tokenId(QwenTokenizer.IMAGE_PAD)).isEqualTo(151655);
		assertThat(tokenizer.tokenId(QwenTokenizer.VIDEO_PAD)).isEqualTo(151656);
		assertThat(tokenizer.isSpecial(151645)).isTrue();
		assertThat(tokenizer.isSpecial(tokenizer.tokenId("<tool_call>"))).isFalse();
	}

	@Test
	void neverTruncatesLongInputs() {
		String text = "word ".repeat(3000);
		assertThat(tokenizer.encode(text)).hasSizeGreaterThan(2900);
	}

	@Test
	void decodesBackToTheTextWithSpecialTokensKeptUnlessSkipped() {
		String text = "<|im_start|>user\nClick <tool_call>{\"x\": 1}</tool_call> 你好 🍕<|im_end|>";
		long[] ids = tokenizer.encode(text);
		assertThat(tokenizer.decode(ids)).isEqualTo(text);
		assertThat(tokenizer.decode(ids, true)).isEqualTo("user\nClick <tool_call>{\"x\": 1}</tool_call> 你好 🍕");
	}

	@Test
	void streamingNeverEmitsBrokenMultiByteCharacters() {
		String text = "Pizza 🍕 and 👍🏽 — 日本語のテキスト, done.";
		long[] ids = tokenizer.encode(text);
		StreamingDecoder stream = new StreamingDecoder(tokenizer, false);
		StringBuilder out = new StringBuilder();
		for (long id : ids) {
			String piece = stream.push(id);
			assertThat(piece).doesNotContain("\uFFFD");
			out.append(piece);
		}
		out.append(stream.flush());
		assertThat(out.toString()).isEqualTo(text);
	}

	/**
	 * The raw bytes undo GPT-2's byte map exactly: every id whose decoded text is whole has that text's UTF-8 as its
	 * bytes, and the bytes of "中" split over pieces join to its UTF-8.
	 */
	@Test
	void tokenBytesAreTheBytesTheDecodedTextsComeFrom() {
		int count = 151_936;
		String[] texts = tokenizer.tokenTexts(count);
		byte[][] bytes = tokenizer.tokenBytes(count);
		int partial = 0;
		for (int id = 0; id < count; id++) {
			if (texts[id] == null) {
				assertThat(bytes[id]).as("id %d", id).isNull();
			}
			else if (texts[id].indexOf('\uFFFD') < 0) {
				assertThat(bytes[id]).as("id %d (%s)", id, texts[id])
					.isEqualTo(texts[id].getBytes(java.nio.charset.StandardCharsets.UTF_8));
			}
			else {
				partial++;
				assertThat(new String(bytes[id], java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(texts[id]);
			}
		}
		assertThat(partial).as("pieces holding part of a character").isGreaterThan(1000);
		java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
		for (long id : tokenizer.encode("\u9F98")) { // a rare CJK character: split over byte pieces
			joined.writeBytes(bytes[(int) id]);
		}
		assertThat(joined.toByteArray()).isEqualTo("\u9F98".getBytes(java.nio.charset.StandardCharsets.UTF_8));
		assertThat(tokenizer.tokenBytes(count)[(int) tokenizer.tokenId("<tool_call>")]).asString()
			.isEqualTo("<tool_call>");
	}

	@Test
	void unknownAddedTokenNamesTheToken() {
		assertThatThrownBy(() -> tokenizer.tokenId("<|nope|>")).isInstanceOf(TokenizerException.class)
			.hasMessageContaining("<|nope|>");
	}

	@Test
	void missingFileIsReportedWithItsPath() {
		assertThatThrownBy(() -> QwenTokenizer.load(Path.of("/nonexistent/tokenizer.json")))
			.isInstanceOf(TokenizerException.class)
			.hasMessageContaining("/nonexistent/tokenizer.json");
	}

}
