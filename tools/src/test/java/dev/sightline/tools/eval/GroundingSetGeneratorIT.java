package dev.sightline.tools.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.vision.preprocess.ImageSize;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders a page with known geometry in the system Chromium and checks boxes against the screenshot's pixels. */
class GroundingSetGeneratorIT {

	private static final String PAGE = """
			<!doctype html><html><body style="margin:0;background:#fff">
			<button data-sl-target="the red button" data-sl-type="icon"
			  style="position:absolute;left:100px;top:50px;width:40px;height:20px;background:#f00;border:0;padding:0"></button>
			<a href="#" data-sl-target="a link below the fold" style="position:absolute;left:10px;top:2000px">far</a>
			<button data-sl-target="a button under a cover"
			  style="position:absolute;left:10px;top:150px;width:40px;height:20px"></button>
			<div style="position:absolute;left:0;top:140px;width:100px;height:60px;background:#00f"></div>
			</body></html>
			""";

	@TempDir
	Path dir;

	@Test
	void writesBoxesInScreenshotPixelsAtEveryDevicePixelRatioAndDropsHiddenTargets() throws IOException {
		Path pages = Files.createDirectories(dir.resolve("pages"));
		Files.writeString(pages.resolve("geometry.html"), PAGE);
		Path set = dir.resolve("set");

		GeneratedSet generated = new GroundingSetGenerator().generate(GeneratorPages.resolve(pages.toString()),
				List.of(new Viewport(320, 240)), List.of(1.0, 2.0), set);

		assertThat(generated.screenshots()).isEqualTo(2);
		List<GroundingItem> items = new GroundingSetReader(BoxLayout.AUTO).read(set);
		assertThat(items).extracting(GroundingItem::instruction).containsExactly("the red button", "the red button");
		GroundingItem dpr1 = items.get(0);
		GroundingItem dpr2 = items.get(1);
		assertThat(dpr1.setting()).isEqualTo("320x240@1x");
		assertThat(dpr1.imageSize()).isEqualTo(new ImageSize(320, 240));
		assertThat(dpr1.box()).isEqualTo(new TargetBox(100, 50, 140, 70));
		assertThat(dpr1.elementType()).isEqualTo("icon");
		assertThat(dpr2.setting()).isEqualTo("320x240@2x");
		assertThat(dpr2.imageSize()).isEqualTo(new ImageSize(640, 480));
		assertThat(dpr2.box()).isEqualTo(new TargetBox(200, 100, 280, 140));
		// The box lies on the red button in the screenshot, just inside each corner, and white just outside.
		for (GroundingItem item : items) {
			BufferedImage shot = ImageIO.read(item.image().toFile());
			TargetBox box = item.box();
			assertThat(rgb(shot, box.leftPx() + 1, box.topPx() + 1)).isEqualTo(0xff0000);
			assertThat(rgb(shot, box.rightPx() - 1, box.bottomPx() - 1)).isEqualTo(0xff0000);
			assertThat(rgb(shot, box.leftPx() - 2, box.topPx() - 2)).isEqualTo(0xffffff);
			assertThat(rgb(shot, box.rightPx() + 1, box.bottomPx() + 1)).isEqualTo(0xffffff);
		}
	}

	private static int rgb(BufferedImage image, double xPx, double yPx) {
		return image.getRGB((int) xPx, (int) yPx) & 0xffffff;
	}

}
