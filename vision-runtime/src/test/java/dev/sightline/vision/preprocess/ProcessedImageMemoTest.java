package dev.sightline.vision.preprocess;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repeated encoded image is processed once per pixel budget, and what the memo hands back is exactly what a
 * processor without it computes.
 */
class ProcessedImageMemoTest {

	private static final ProcessorConfig CONFIG = ProcessorConfig.PUBLISHED;

	private static byte[] png(int seed, int widthPx, int heightPx) {
		byte[] rgb = new byte[widthPx * heightPx * 3];
		new SplittableRandom(seed).nextBytes(rgb);
		return PngEncoder.encode(RgbImage.of(rgb, widthPx, heightPx));
	}

	@Test
	void aRepeatedImageIsProcessedOnceAndMatchesAFreshProcessing() {
		ProcessedImageMemo memo = new ProcessedImageMemo(64L << 20);
		ImageProcessor memoized = new ImageProcessor(CONFIG, memo);
		byte[] first = png(1, 120, 90);

		ProcessedImage once = memoized.process(first);
		ProcessedImage again = memoized.process(first.clone());

		assertThat(again).isSameAs(once);
		assertThat(memo.hits()).isEqualTo(1);
		assertThat(memo.misses()).isEqualTo(1);
		ProcessedImage fresh = new ImageProcessor(CONFIG).process(first);
		assertThat(again.pixelValues()).isEqualTo(fresh.pixelValues());
		assertThat(again.grid()).isEqualTo(fresh.grid());
		assertThat(again.resized()).isEqualTo(fresh.resized());
	}

	@Test
	void repeatedDecodedPixelsAreProcessedOnceAndNeverTakenForEncodedBytes() {
		ProcessedImageMemo memo = new ProcessedImageMemo(64L << 20);
		ImageProcessor memoized = new ImageProcessor(CONFIG, memo);
		byte[] rgb = new byte[150 * 100 * 3];
		new SplittableRandom(6).nextBytes(rgb);
		PixelBudget budget = CONFIG.budget();

		ProcessedImage once = memoized.process(RgbImage.of(rgb, 150, 100), budget);
		ProcessedImage again = memoized.process(RgbImage.of(rgb.clone(), 150, 100), budget);
		ProcessedImage otherShape = memoized.process(RgbImage.of(rgb, 100, 150), budget);
		ProcessedImage asPng = memoized.process(PngEncoder.encode(RgbImage.of(rgb, 150, 100)), budget);

		assertThat(again).isSameAs(once);
		assertThat(otherShape).isNotSameAs(once);
		assertThat(asPng).isNotSameAs(once);
		assertThat(asPng.pixelValues()).isEqualTo(once.pixelValues());
		assertThat(again.pixelValues())
			.isEqualTo(new ImageProcessor(CONFIG).process(RgbImage.of(rgb, 150, 100), budget).pixelValues());
		assertThat(memo.hits()).isEqualTo(1);
	}

	@Test
	void anotherBudgetOrOtherBytesAreProcessedAgain() {
		ProcessedImageMemo memo = new ProcessedImageMemo(64L << 20);
		ImageProcessor memoized = new ImageProcessor(CONFIG, memo);
		byte[] image = png(2, 200, 120);
		ProcessedImage whole = memoized.process(image);

		ProcessedImage smaller = memoized.process(image, new PixelBudget(3136, 28 * 28 * 8));
		ProcessedImage other = memoized.process(png(3, 200, 120));

		assertThat(smaller.grid()).isNotEqualTo(whole.grid());
		assertThat(other).isNotSameAs(whole);
		assertThat(memo.hits()).isZero();
		assertThat(memo.misses()).isEqualTo(3);
	}

	@Test
	void theLeastRecentlyUsedImageLeavesWhenTheBudgetIsFullAndZeroKeepsNothing() {
		byte[] a = png(4, 112, 112);
		byte[] b = png(5, 112, 112);
		long oneImage = (long) new ImageProcessor(CONFIG).process(a).pixelValues().length * Float.BYTES;
		ProcessedImageMemo memo = new ProcessedImageMemo(oneImage);
		ImageProcessor memoized = new ImageProcessor(CONFIG, memo);

		memoized.process(a);
		memoized.process(b); // evicts a
		memoized.process(b);
		memoized.process(a);
		assertThat(memo.hits()).isEqualTo(1);

		memo.setBudgetBytes(0);
		memoized.process(a);
		assertThat(memo.hits()).isEqualTo(1);
		assertThat(memo.misses()).isEqualTo(4);
	}

}
