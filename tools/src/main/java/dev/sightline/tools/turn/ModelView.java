package dev.sightline.tools.turn;

import java.util.Optional;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageResize;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * A screen as the model gets it: the image part sent (resized once, by the model's own rule, and carried as pixels:
 * an in-process model patches them as they are, a remote backend encodes PNG at its boundary) and the mapping from
 * that image back to the screen, so the size the model sees never has to be computed twice.
 *
 * @param mapping screenshot size, model-image size and device pixel ratio
 * @param image what the conversation carries for this screen
 */
public record ModelView(CoordinateMapping mapping, ImagePart image) {

	private static final ImageDecoder DECODER = new ImageDecoder();

	/** The executor's screenshot, resized once by {@code resize}. */
	public static ModelView of(Screenshot shot, ImageResize resize) {
		return new ModelView(shot.mapping(resize), ImagePart.of(resize.apply(shot.pixels())));
	}

	/**
	 * An image as a caller sent it (PNG, JPEG, WebP; its pixels are screen pixels), resized once by {@code resize};
	 * the budget travels with the image, so a model whose own budget differs processes it at this one.
	 *
	 * @throws dev.sightline.vision.preprocess.InvalidImageException when the bytes are no readable image
	 */
	public static ModelView ofImage(byte[] encoded, ImageResize resize) {
		RgbImage pixels = DECODER.decode(encoded);
		ImageSize size = pixels.size();
		return new ModelView(new CoordinateMapping(size, resize.size(size), 1.0),
				new ImagePart(resize.apply(pixels), Optional.of(resize.budget())));
	}

	/** The size of the image the model gets, in its pixels. */
	public ImageSize size() {
		return mapping.model();
	}

}
