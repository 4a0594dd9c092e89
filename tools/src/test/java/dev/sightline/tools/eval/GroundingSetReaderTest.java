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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroundingSetReaderTest {

	@TempDir
	Path dir;

	@Test
	void readsScreenSpotV2BoxesAsXywhWithThePlatformFromTheFileName() throws IOException {
		image(dir.resolve("screenspot_imgs/mobile_1.png"), 400, 800);
		Files.writeString(dir.resolve("screenspot_mobile_v2.json"), """
				[{"img_filename": "mobile_1.png", "bbox": [10, 20, 30, 40], "instruction": "open settings",
				  "data_type": "icon", "data_source": "android"}]
				""");

		List<GroundingItem> items = new GroundingSetReader(BoxLayout.AUTO).read(dir);

		assertThat(items).singleElement().satisfies(item -> {
			assertThat(item.box()).isEqualTo(new TargetBox(10, 20, 40, 60));
			assertThat(item.platform()).isEqualTo("mobile");
			assertThat(item.elementType()).isEqualTo("icon");
			assertThat(item.id()).isEqualTo("screenspot_mobile_v2#0");
			assertThat(item.imageSize()).isEqualTo(new ImageSize(400, 800));
			assertThat(item.setting()).isEqualTo("400x800");
		});
	}

	@Test
	void readsScreenSpotProBoxesAsCornersFromTheAnnotationsFolder() throws IOException {
		image(dir.resolve("images/vscode_macos/shot.png"), 300, 200);
		Files.createDirectories(dir.resolve("annotations"));
		Files.writeString(dir.resolve("annotations/vscode_macos.json"), """
				[{"img_filename": "vscode_macos/shot.png", "bbox": [10, 20, 30, 40], "instruction": "run the file",
				  "id": "vscode_macos_0", "img_size": [300, 200], "ui_type": "text", "platform": "macos",
				  "application": "vscode", "group": "Dev"}]
				""");

		GroundingItem item = new GroundingSetReader(BoxLayout.AUTO).read(dir).get(0);

		assertThat(item.box()).isEqualTo(new TargetBox(10, 20, 30, 40));
		assertThat(item.platform()).isEqualTo("macos");
		assertThat(item.elementType()).isEqualTo("text");
		assertThat(item.id()).isEqualTo("vscode_macos_0");
	}

	@Test
	void anExplicitLayoutOverridesTheGuess() throws IOException {
		image(dir.resolve("a.png"), 100, 100);
		Files.writeString(dir.resolve("set.json"),
				"[{\"img_filename\": \"a.png\", \"bbox\": [10, 10, 20, 20], \"instruction\": \"x\"}]");

		assertThat(new GroundingSetReader(BoxLayout.XYXY).read(dir).get(0).box()).isEqualTo(new TargetBox(10, 10, 20, 20));
		assertThat(new GroundingSetReader(BoxLayout.AUTO).read(dir).get(0).box()).isEqualTo(new TargetBox(10, 10, 30, 30));
	}

	@Test
	void judgesPointsOnTheBorderAsInside() {
		TargetBox box = new TargetBox(10, 20, 30, 40);

		assertThat(box.contains(10, 20)).isTrue();
		assertThat(box.contains(30, 40)).isTrue();
		assertThat(box.contains(30.01, 40)).isFalse();
		assertThat(box.contains(9.99, 25)).isFalse();
	}

	@Test
	void rejectsAMissingImageNamingWhereItLooked() throws IOException {
		Files.writeString(dir.resolve("set.json"),
				"[{\"img_filename\": \"gone.png\", \"bbox\": [1, 2, 3, 4], \"instruction\": \"x\"}]");

		assertThatThrownBy(() -> new GroundingSetReader(BoxLayout.AUTO).read(dir))
			.isInstanceOf(InvalidGroundingSetException.class)
			.hasMessageContaining("set.json item 0: image gone.png not found")
			.hasMessageContaining("images, screenspot_imgs");
	}

	@Test
	void rejectsABoxThatIsNotFourNumbers() throws IOException {
		image(dir.resolve("a.png"), 100, 100);
		Files.writeString(dir.resolve("set.json"),
				"[{\"img_filename\": \"a.png\", \"bbox\": [1, 2, 3], \"instruction\": \"x\"}]");

		assertThatThrownBy(() -> new GroundingSetReader(BoxLayout.AUTO).read(dir))
			.isInstanceOf(InvalidGroundingSetException.class)
			.hasMessageContaining("bbox must be a list of 4 numbers, got [1,2,3]");
	}

	@Test
	void rejectsImagePathsThatLeaveTheSetFolder() throws IOException {
		Files.writeString(dir.resolve("set.json"),
				"[{\"img_filename\": \"../secret.png\", \"bbox\": [1, 2, 3, 4], \"instruction\": \"x\"}]");

		assertThatThrownBy(() -> new GroundingSetReader(BoxLayout.AUTO).read(dir))
			.isInstanceOf(InvalidGroundingSetException.class)
			.hasMessageContaining("img_filename must be relative to the set folder");
	}

	@Test
	void rejectsAFolderWithoutAnnotations() {
		assertThatThrownBy(() -> new GroundingSetReader(BoxLayout.AUTO).read(dir))
			.isInstanceOf(InvalidGroundingSetException.class)
			.hasMessageContaining("no annotation files");
	}

	private static void image(Path file, int widthPx, int heightPx) throws IOException {
		Files.createDirectories(file.getParent());
		ImageIO.write(new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
	}

}
