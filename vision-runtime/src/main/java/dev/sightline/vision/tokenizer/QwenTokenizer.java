package dev.sightline.vision.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A checkpoint's byte-level BPE {@code tokenizer.json} (spec §8.1), through DJL's binding of the Hugging Face
 * tokenizers library. Encodes exactly as the reference: no truncation (DJL's default would cut at 512 tokens), no
 * padding, no added special tokens; special tokens written inline (e.g. {@code <|image_pad|>}) become single ids.
 */
public final class QwenTokenizer implements AutoCloseable {

	public static final String IM_START = "<|im_start|>";

	public static final String IM_END = "<|im_end|>";

	public static final String END_OF_TEXT = "<|endoftext|>";

	public static final String VISION_START = "<|vision_start|>";

	public static final String VISION_END = "<|vision_end|>";

	public static final String IMAGE_PAD = "<|image_pad|>";

	public static final String VIDEO_PAD = "<|video_pad|>";

	/** The bundled Qwen2.5 tokenizer (see {@code tokenizer/qwen2.5/NOTE.md}), used by golden cases and tests. */
	public static final String BUNDLED_QWEN2_5 = "tokenizer/qwen2.5/tokenizer.json.gz";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Map<String, String> OPTIONS = Map.of("truncation", "false", "padding", "false",
			"addSpecialTokens", "false");

	private final HuggingFaceTokenizer tokenizer;

	private final Map<String, Long> addedTokens;

	private final Set<Long> specialIds;

	/**
	 * The raw bytes of each vocabulary id's piece when the tokenizer is byte-level (GPT-2's byte-to-character map
	 * undone), else null: a piece may hold part of a UTF-8 character, which its decoded text cannot show.
	 */
	private final byte[][] pieceBytes;

	private QwenTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Long> addedTokens, Set<Long> specialIds,
			byte[][] pieceBytes) {
		this.tokenizer = tokenizer;
		this.addedTokens = addedTokens;
		this.specialIds = specialIds;
		this.pieceBytes = pieceBytes;
	}

	/** Loads {@code tokenizer.json} (or a gzipped {@code tokenizer.json.gz}). */
	public static QwenTokenizer load(Path tokenizerJson) {
		try (InputStream in = Files.newInputStream(tokenizerJson)) {
			return fromJson(read(in, tokenizerJson.toString().endsWith(".gz")), tokenizerJson.toString());
		}
		catch (IOException e) {
			throw new TokenizerException("cannot read tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
		}
	}

	/** Loads a tokenizer from the classpath, e.g. {@link #BUNDLED_QWEN2_5}. */
	public static QwenTokenizer fromClasspath(String resource) {
		try (InputStream in = QwenTokenizer.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				throw new TokenizerException("tokenizer resource " + resource + " is not on the classpath");
			}
			return fromJson(read(in, resource.endsWith(".gz")), resource);
		}
		catch (IOException e) {
			throw new TokenizerException("cannot read tokenizer resource " + resource + ": " + e.getMessage(), e);
		}
	}

	private static String read(InputStream in, boolean gzipped) throws IOException {
		InputStream source = gzipped ? new GZIPInputStream(in) : in;
		return new String(source.readAllBytes(), StandardCharsets.UTF_8);
	}

	static QwenTokenizer fromJson(String json, String origin) {
		Map<String, Long> added = new LinkedHashMap<>();
		Set<Long> special = new HashSet<>();
		try {
			JsonNode root = JSON.readTree(json);
			for (JsonNode token : root.path("added_tokens")) {
				long id = token.path("id").asLong();
				added.put(token.path("content").asText(), id);
				if (token.path("special").asBoolean(false)) {
					special.add(id);
				}
			}
			byte[][] pieceBytes = "ByteLevel".equals(root.path("decoder").path("type").asText())
					? byteLevelPieces(root.path("model").path("vocab"), origin) : null;
			HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer
				.newInstance(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), OPTIONS);
			return new QwenTokenizer(tokenizer, Collections.unmodifiableMap(added), Set.copyOf(special), pieceBytes);
		}
		catch (IOException | RuntimeException e) {
			throw new TokenizerException("cannot load tokenizer " + origin + ": " + e.getMessage(), e);
		}
	}

	public long[] encode(String text) {
		if (text.isEmpty()) {
			return new long[0];
		}
		return tokenizer.encode(text, false, false).getIds();
	}

	/** Decodes with special tokens kept (as the chat template wrote them). */
	public String decode(long[] ids) {
		return decode(ids, false);
	}

	public String decode(long[] ids, boolean skipSpecialTokens) {
		if (ids.length == 0) {
			return "";
		}
		return tokenizer.decode(ids, skipSpecialTokens);
	}

	/**
	 * Added tokens that may appear in constrained text: the function-call tags, so a call forced by a grammar
	 * ({@code tool_choice} required or named) is written with the tokens the model was trained to write it with.
	 */
	private static final Set<String> CONSTRAINED_TEXT_TOKENS = Set.of("<tool_call>", "</tool_call>");

	/**
	 * The text of each id below {@code count}, each decoded alone in one native call (special tokens kept); ids of
	 * added tokens (but the function-call tags) and ids the tokenizer does not know (empty text) are null.
	 */
	public String[] tokenTexts(int count) {
		long[][] ids = new long[count][];
		for (int i = 0; i < count; i++) {
			ids[i] = new long[] { i };
		}
		String[] texts = tokenizer.batchDecode(ids, false);
		Set<Long> added = new HashSet<>();
		addedTokens.forEach((token, id) -> {
			if (!CONSTRAINED_TEXT_TOKENS.contains(token)) {
				added.add(id);
			}
		});
		for (int i = 0; i < count; i++) {
			// An id past the tokenizer's vocabulary decodes to nothing.
			if (added.contains((long) i) || texts[i].isEmpty()) {
				texts[i] = null;
			}
		}
		return texts;
	}

	/**
	 * The raw bytes of each id below {@code count}, as {@link #tokenTexts(int)} but before UTF-8 decoding: a piece
	 * holding part of a multi-byte character keeps its bytes (its text shows U+FFFD). Null where
	 * {@link #tokenTexts(int)} is null. A tokenizer that is not byte-level has no partial characters, so its bytes
	 * are the UTF-8 of each text.
	 */
	public byte[][] tokenBytes(int count) {
		String[] texts = tokenTexts(count);
		byte[][] bytes = new byte[count][];
		for (int i = 0; i < count; i++) {
			if (texts[i] == null) {
				continue;
			}
			boolean piece = pieceBytes != null && i < pieceBytes.length && pieceBytes[i] != null;
			bytes[i] = piece ? pieceBytes[i].clone() : texts[i].getBytes(StandardCharsets.UTF_8);
		}
		return bytes;
	}

	/** The inverse of GPT-2's {@code bytes_to_unicode}: each byte is written as one printable character. */
	private static final int[] BYTE_OF_CHAR = byteOfChar();

	private static int[] byteOfChar() {
		int[] byteOf = new int[512];
		Arrays.fill(byteOf, -1);
		int shifted = 0;
		for (int b = 0; b < 256; b++) {
			boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
			byteOf[printable ? b : 256 + shifted++] = b;
		}
		return byteOf;
	}

	private static byte[][] byteLevelPieces(JsonNode vocab, String origin) {
		int size = 0;
		for (JsonNode id : vocab) {
			size = Math.max(size, id.asInt() + 1);
		}
		byte[][] pieces = new byte[size][];
		for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
			String piece = entry.getKey();
			byte[] bytes = new byte[piece.length()];
			for (int i = 0; i < piece.length(); i++) {
				char c = piece.charAt(i);
				int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
				if (b < 0) {
					throw new TokenizerException("tokenizer " + origin + " has a ByteLevel decoder but its piece "
							+ piece + " (id " + entry.getValue().asInt() + ") holds " + c
							+ ", which is not one of the 256 byte characters");
				}
				bytes[i] = (byte) b;
			}
			pieces[entry.getValue().asInt()] = bytes;
		}
		return pieces;
	}

	/** The id of an added token such as {@link #IMAGE_PAD}; fails with the token's name when the file lacks it. */
	public long tokenId(String token) {
		Long id = addedTokens.get(token);
		if (id == null) {
			throw new TokenizerException("the tokenizer has no added token " + token + " (it has "
					+ addedTokens.size() + " added tokens)");
		}
		return id;
	}

	/** Added tokens (special or not, e.g. {@code <tool_call>}) by content. */
	public Map<String, Long> addedTokens() {
		return addedTokens;
	}

	/** Whether decoding with "skip special tokens" drops this id ({@code <tool_call>} is not special). */
	public boolean isSpecial(long id) {
		return specialIds.contains(id);
	}

	@Override
	public void close() {
		tokenizer.close();
	}

}
