package dev.sightline.tools.turn;

import java.util.Optional;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.model.ModelImage;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;

/**
 * A screen as the model gets it: the image part sent (smart-resized once, within the model's pixel budget) and the
 * mapping from that image back to the screen, so the size the model sees never has to be computed twice.
 *
 * @param mapping screenshot size, model-image size and device pixel ratio
 * @param image what the conversation carries for this screen
 */
public record ModelView(CoordinateMapping mapping, ImagePart image) {

	private static final ImageDecoder DECODER = new ImageDecoder();

	/** The executor's screenshot, resized to {@code budget}'s smart-resize size. */
	public static ModelView of(Screenshot shot, PixelBudget budget) {
		CoordinateMapping mapping = shot.mapping(budget);
		return new ModelView(mapping, ImagePart.of(ModelImage.resizedPng(shot.png(), shot.size(), mapping.model())));
	}

	/**
	 * An image as a caller sent it (PNG, JPEG, WebP; its pixels are screen pixels), resized to {@code budget}'s size;
	 * the budget travels with the image, so a model whose own budget differs processes it at this one. A non-PNG
	 * image is re-encoded as PNG even at its own size, as the remote backends send PNG.
	 *
	 * @throws dev.sightline.vision.preprocess.InvalidImageException when the bytes are no readable image
	 */
	public static ModelView ofImage(byte[] encoded, PixelBudget budget) {
		ImageSize size = DECODER.probe(encoded);
		ImageSize modelSize = SmartResize.fit(size, budget);
		boolean png = encoded.length > 8 && (encoded[0] & 0xff) == 0x89 && encoded[1] == 'P';
		byte[] modelPng = !png && size.equals(modelSize) ? ModelImage.encodePng(DECODER.decode(encoded))
				: ModelImage.resizedPng(encoded, size, modelSize);
		return new ModelView(new CoordinateMapping(size, modelSize, 1.0), new ImagePart(modelPng, Optional.of(budget)));
	}

	/** The size of the image the model gets, in its pixels. */
	public ImageSize size() {
		return mapping.model();
	}

}
