package dev.sightline.vision.prefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import dev.sightline.vision.qwen.LoadedModel;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.PromptSequence;
import dev.sightline.vision.qwen.generate.Sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The parity check both families' prefix cache tests share: a prompt decoded after an earlier prompt filled the
 * cache gives, row for row, the float32 logits it gives with the cache off (prefill's last row and a few greedy
 * steps, which also prove the positions and rope delta continue right after the restored prefix).
 */
public final class PrefixParity {

	/** The bound for a cached prefix against a full prefill, in float32. */
	public static final float TOLERANCE = 1e-4f;

	private static final int STEPS = 4;

	private static final long BUDGET_BYTES = 64L << 20;

	/** What one decode of a prompt gave. */
	public record Decoded(List<float[]> logits, int cachedPrefixTokens, double visionMs) {
	}

	private PrefixParity() {
	}

	/** Prefill and {@link #STEPS} greedy steps of {@code inputs}, with the model's prefix cache as it is. */
	public static Decoded decode(LoadedModel model, ModelInputs inputs) {
		try (PromptSequence<?, ?> sequence = model.newSequence(inputs.inputIds().length + STEPS)) {
			List<float[]> rows = new ArrayList<>();
			float[] logits = sequence.prefill(inputs, false);
			rows.add(logits);
			for (int i = 0; i < STEPS; i++) {
				logits = sequence.step(Sampler.argmax(logits));
				rows.add(logits);
			}
			return new Decoded(rows, sequence.cachedPrefixTokens(), sequence.visionMs());
		}
	}

	/**
	 * Decodes {@code second} with the cache off, then with it on after {@code first} was decoded, and checks the
	 * logits agree within {@link #TOLERANCE}.
	 * @return the cached decode of {@code second}
	 */
	public static Decoded assertSameLogitsAfter(LoadedModel model, ModelInputs first, ModelInputs second) {
		PrefixCache cache = model.prefixCache();
		cache.setBudgetBytes(0);
		Decoded plain = decode(model, second);
		assertThat(plain.cachedPrefixTokens()).isZero();
		try {
			cache.setBudgetBytes(BUDGET_BYTES);
			decode(model, first);
			Decoded cached = decode(model, second);
			assertThat(cached.logits()).hasSameSizeAs(plain.logits());
			for (int row = 0; row < plain.logits().size(); row++) {
				float[] expected = plain.logits().get(row);
				float[] actual = cached.logits().get(row);
				assertThat(actual).as("logits of row %d", row).hasSameSizeAs(expected);
				float worst = 0;
				for (int i = 0; i < expected.length; i++) {
					worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
				}
				assertThat(worst).as("largest logit difference of row %d after %d cached tokens", row,
						cached.cachedPrefixTokens()).isCloseTo(0f, within(TOLERANCE));
			}
			return cached;
		}
		finally {
			cache.setBudgetBytes(0);
		}
	}

	/** Tokens cached blocks cover of a second prompt that repeats the first {@code stored} tokens of another. */
	public static int blockAligned(int stored, int secondLength) {
		int blocks = Math.min(stored / PrefixCache.BLOCK_TOKENS, (secondLength - 1) / PrefixCache.BLOCK_TOKENS);
		return blocks * PrefixCache.BLOCK_TOKENS;
	}

	/** {@code ids} followed by {@code more}. */
	public static long[] concat(long[] ids, long[] more) {
		long[] out = Arrays.copyOf(ids, ids.length + more.length);
		System.arraycopy(more, 0, out, ids.length, more.length);
		return out;
	}

	/** {@code inputs} with {@code before} text tokens in front and {@code after} behind; same images and videos. */
	public static ModelInputs around(long[] before, ModelInputs inputs, long[] after) {
		return new ModelInputs(concat(concat(before, inputs.inputIds()), after), inputs.pixelValues(),
				inputs.imageGrids(), inputs.pixelValuesVideos(), inputs.videoGrids(), inputs.secondPerGridTs());
	}

	/** {@code count} text tokens cycling through the plain (non-special) tokens of {@code source}. */
	public static long[] text(long[] source, int count, long specialFrom) {
		long[] plain = LongStream.of(source).filter(id -> id < specialFrom).toArray();
		long[] out = new long[count];
		for (int i = 0; i < count; i++) {
			out[i] = plain[i % plain.length];
		}
		return out;
	}

	/** Positions of {@code id} in {@code ids}. */
	public static int[] positionsOf(long[] ids, long id) {
		return java.util.stream.IntStream.range(0, ids.length).filter(i -> ids[i] == id).toArray();
	}

	/** Special ids of the tiny checkpoints start here (image pad 1001, vision start 1003). */
	public static final long TINY_SPECIAL_FROM = 1000;

	/** A text prompt, then a longer one starting with it: the second reuses the first's whole blocks. */
	public static void assertTextPrefix(LoadedModel model, long[] someText) {
		long[] shared = text(someText, 80, TINY_SPECIAL_FROM);
		ModelInputs first = ModelInputs.text(shared);
		ModelInputs second = ModelInputs.text(concat(shared, text(reversed(someText), 21, TINY_SPECIAL_FROM)));
		Decoded cached = assertSameLogitsAfter(model, first, second);
		assertThat(cached.cachedPrefixTokens()).isEqualTo(blockAligned(80, second.inputIds().length))
			.isEqualTo(80 / PrefixCache.BLOCK_TOKENS * PrefixCache.BLOCK_TOKENS);
	}

	/**
	 * Text, an image and text, then the same with more text: the image lies wholly in the cached prefix, so the
	 * second request runs no vision encode at all.
	 */
	public static void assertImagePrefix(LoadedModel model, ModelInputs image, long[] someText, long imageTokenId) {
		long[] before = text(someText, 5, TINY_SPECIAL_FROM);
		long[] after = text(reversed(someText), 40, TINY_SPECIAL_FROM);
		ModelInputs first = around(before, image, after);
		ModelInputs second = around(before, image, concat(after, text(someText, 17, TINY_SPECIAL_FROM)));
		int[] pads = positionsOf(first.inputIds(), imageTokenId);
		Decoded cached = assertSameLogitsAfter(model, first, second);
		assertThat(cached.cachedPrefixTokens())
			.isEqualTo(blockAligned(first.inputIds().length, second.inputIds().length))
			.isGreaterThan(pads[pads.length - 1]);
		assertThat(cached.visionMs()).as("vision time of a request whose image is all cached").isZero();
	}

	/**
	 * A prompt whose last whole block ends among an image's placeholders, then a longer one: the second restores
	 * part of the image's keys and values and feeds the rest of its placeholders with features from a new encode.
	 * The second prompt follows the image with other text, so the shared prefix ends with the image's last
	 * placeholder, and a lead-in of text moves a block boundary among its placeholders.
	 */
	public static void assertPrefixEndingInsideImage(LoadedModel model, ModelInputs image, long[] someText,
			long imageTokenId) {
		long[] tail = text(reversed(someText), 2, TINY_SPECIAL_FROM);
		for (int lead = 0; lead < 2 * PrefixCache.BLOCK_TOKENS; lead++) {
			long[] before = text(someText, lead, TINY_SPECIAL_FROM);
			ModelInputs first = around(before, image, tail);
			int[] pads = positionsOf(first.inputIds(), imageTokenId);
			long[] shared = Arrays.copyOf(first.inputIds(), pads[pads.length - 1] + 1);
			ModelInputs second = new ModelInputs(concat(shared, text(someText, 30, TINY_SPECIAL_FROM)),
					image.pixelValues(), image.imageGrids(), null, null, null);
			int hit = blockAligned(shared.length, second.inputIds().length);
			if (hit > pads[0] && hit <= pads[pads.length - 1]) {
				long reusedBefore = model.prefixCache().stats().reusedImages();
				Decoded cached = assertSameLogitsAfter(model, first, second);
				assertThat(cached.cachedPrefixTokens()).isEqualTo(hit);
				// The rest of its placeholders take features: from a new encode, or (a family that reuses them)
				// the first request's, from the cache.
				boolean reused = model.prefixCache().stats().reusedImages() > reusedBefore;
				assertThat(reused || cached.visionMs() > 0)
					.as("a partly cached image's features came from the vision tower or the feature cache")
					.isTrue();
				return;
			}
		}
		throw new AssertionError("no lead-in of text puts a block boundary inside the image of "
				+ image.inputIds().length + " tokens");
	}

	/**
	 * The same prompt around another image of the same grid: only the blocks before the image are reused, since
	 * the placeholders are keyed on the pixels, not on their (equal) token ids.
	 */
	public static void assertAnotherImageReusesOnlyTheTextBeforeIt(LoadedModel model, ModelInputs image,
			long[] someText, long imageTokenId) {
		long[] before = text(someText, 70, TINY_SPECIAL_FROM);
		long[] after = text(reversed(someText), 40, TINY_SPECIAL_FROM);
		ModelInputs first = around(before, image, after);
		float[] otherPixels = image.pixelValues().clone();
		otherPixels[otherPixels.length / 2] += 0.5f;
		ModelInputs other = new ModelInputs(image.inputIds(), otherPixels, image.imageGrids(), null, null, null);
		ModelInputs second = around(before, other, after);
		int[] pads = positionsOf(first.inputIds(), imageTokenId);
		Decoded cached = assertSameLogitsAfter(model, first, second);
		assertThat(cached.cachedPrefixTokens()).isEqualTo(pads[0] / PrefixCache.BLOCK_TOKENS * PrefixCache.BLOCK_TOKENS)
			.isPositive();
	}

	/**
	 * The same image after other text, so no block before it matches and its keys and values cannot be reused:
	 * its vision features come from the cache instead of the tower (a family that reuses them), with the logits
	 * of a full prefill.
	 */
	public static void assertSameImageElsewhereReusesItsFeatures(LoadedModel model, ModelInputs image,
			long[] someText) {
		long[] after = text(reversed(someText), 12, TINY_SPECIAL_FROM);
		ModelInputs first = around(text(someText, 3, TINY_SPECIAL_FROM), image, after);
		ModelInputs second = around(text(reversed(someText), 45, TINY_SPECIAL_FROM), image, after);
		long reusedBefore = model.prefixCache().stats().reusedImages();
		Decoded cached = assertSameLogitsAfter(model, first, second);
		assertThat(cached.cachedPrefixTokens()).isZero();
		assertThat(model.prefixCache().stats().reusedImages() - reusedBefore).as("images whose encode was skipped")
			.isEqualTo(1);
		assertThat(cached.visionMs()).as("vision time of a request whose image features were cached").isZero();
	}

	private static long[] reversed(long[] ids) {
		long[] out = new long[ids.length];
		for (int i = 0; i < ids.length; i++) {
			out[i] = ids[ids.length - 1 - i];
		}
		return out;
	}

}
