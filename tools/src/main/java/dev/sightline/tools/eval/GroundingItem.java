package dev.sightline.tools.eval;

import java.nio.file.Path;
import java.util.Objects;

import dev.sightline.vision.preprocess.ImageSize;

/**
 * One annotated target: find {@code instruction} in the image; a predicted point inside {@code box} is a hit.
 *
 * @param id unique within the set; the set's own id, else {@code <annotation file>#<index>}
 * @param image the screenshot file
 * @param imageSize its size in pixels (the frame of {@code box})
 * @param platform {@code web}, {@code mobile}, {@code desktop}, or the set's own platform name
 * @param elementType {@code text} or {@code icon} as annotated
 * @param setting how the screenshot was taken, e.g. {@code 1280x800@2x}; the image size when the set does not say
 */
public record GroundingItem(String id, Path image, ImageSize imageSize, String instruction, TargetBox box,
		String platform, String elementType, String setting) {

	public GroundingItem {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(image, "image");
		Objects.requireNonNull(imageSize, "imageSize");
		Objects.requireNonNull(instruction, "instruction");
		Objects.requireNonNull(box, "box");
		Objects.requireNonNull(platform, "platform");
		Objects.requireNonNull(elementType, "elementType");
		Objects.requireNonNull(setting, "setting");
	}

}
