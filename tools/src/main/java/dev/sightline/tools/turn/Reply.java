package dev.sightline.tools.turn;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.vision.chat.Generation;

/**
 * The model's answer to one turn with the mapping its points are read in.
 *
 * @param generation what the model returned, with its measurements
 * @param mapping from the image the model reports it saw (the last of {@link Generation#imageSizes()}) to the
 * screen; the view's own mapping where the backend reports no sizes
 * @param modelMs wall time of the call
 */
public record Reply(Generation generation, CoordinateMapping mapping, double modelMs) {

	public String text() {
		return generation.text();
	}

}
