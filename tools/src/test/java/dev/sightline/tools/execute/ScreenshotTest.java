package dev.sightline.tools.execute;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageResize;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.PngEncoder;
import dev.sightline.vision.preprocess.RgbImage;

import static org.assertj.core.api.Assertions.assertThat;

class ScreenshotTest {

	private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void rawPixelsGetAPngThatDecodesToThemWhenTheRecordingAsks() {
		RgbImage pixels = gradient(64, 48);
		Screenshot shot = Screenshot.ofPixels(pixels, 1, AT);
		assertThat(shot.pixels()).isSameAs(pixels);
		byte[] png = shot.encodeInBackground().png();
		assertThat(shot.png()).isSameAs(png);
		assertThat(new ImageDecoder().decode(png).rgb()).isEqualTo(pixels.rgb());
	}

	@Test
	void aCapturedPngIsKeptAsItIsAndDecodedOnceForThePixels() {
		RgbImage pixels = gradient(64, 48);
		byte[] png = PngEncoder.encode(pixels);
		Screenshot shot = Screenshot.ofPng(png, 2, AT);
		assertThat(shot.size()).isEqualTo(new ImageSize(64, 48));
		assertThat(shot.encodeInBackground().png()).isSameAs(png);
		assertThat(shot.pixels().rgb()).isEqualTo(pixels.rgb());
		assertThat(shot.pixels()).as("decoded once").isSameAs(shot.pixels());
	}

	@Test
	void comparesPixelsWhateverFormEachWasCapturedIn() {
		RgbImage pixels = gradient(64, 48);
		Screenshot raw = Screenshot.ofPixels(pixels, 1, AT);
		Screenshot png = Screenshot.ofPng(PngEncoder.encode(pixels), 1, AT);
		assertThat(raw.samePixels(png)).isTrue();
		assertThat(raw.samePixels(null)).isFalse();
		assertThat(raw.samePixels(ScreenshotMask.whole(raw))).isFalse();
	}

	@Test
	void mapsWithTheModelsOwnResizeRule() {
		Screenshot shot = Screenshot.ofPixels(RgbImage.of(new byte[1280 * 720 * 3], 1280, 720), 1, AT);
		PixelBudget budget = new PixelBudget(3136, 1_003_520);
		assertThat(shot.mapping(budget).model()).isEqualTo(new ImageSize(1288, 728));
		assertThat(shot.mapping(new ImageResize(budget, 32)).model()).isEqualTo(new ImageSize(1280, 704));
		assertThat(shot.mapping(budget).seen(List.of(new ImageSize(644, 364))).model())
			.isEqualTo(new ImageSize(644, 364));
	}

	@Test
	void masksBoxesInDevicePixelsRoundingOutwardAndClippingAtTheEdges() {
		Screenshot shot = Screenshot.ofPixels(gradient(40, 30), 2, AT);
		// CSS (1.5, 2.25) 3x2 at ratio 2 covers device x 3..9 and y 4..9; the second box runs off the right edge.
		Screenshot masked = ScreenshotMask.paint(shot,
				List.of(new ScreenshotMask.Box(1.5, 2.25, 3, 2), new ScreenshotMask.Box(18, 0, 10, 1)));
		byte[] rgb = masked.pixels().rgb();
		assertThat(pixel(rgb, 40, 3, 4)).isZero();
		assertThat(pixel(rgb, 40, 8, 8)).isZero();
		assertThat(pixel(rgb, 40, 9, 8)).isNotZero();
		assertThat(pixel(rgb, 40, 2, 4)).isNotZero();
		assertThat(pixel(rgb, 40, 39, 1)).isZero();
		assertThat(pixel(rgb, 40, 39, 2)).isNotZero();
		assertThat(shot.pixels().rgb()).as("the original is untouched").isEqualTo(gradient(40, 30).rgb());
	}

	private static int pixel(byte[] rgb, int width, int x, int y) {
		int at = (y * width + x) * 3;
		return (rgb[at] & 0xFF) << 16 | (rgb[at + 1] & 0xFF) << 8 | (rgb[at + 2] & 0xFF);
	}

	private static RgbImage gradient(int width, int height) {
		byte[] rgb = new byte[width * height * 3];
		for (int i = 0; i < width * height; i++) {
			rgb[i * 3] = (byte) (1 + i % 250);
			rgb[i * 3 + 1] = (byte) (i / width);
			rgb[i * 3 + 2] = (byte) 200;
		}
		return RgbImage.of(rgb, width, height);
	}

}
