package dev.sightline.tools.profile;

import java.util.List;

import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * What one computer-use step asks, independent of family: a profile turns it into its own conversation.
 *
 * @param goal the user's task
 * @param browser whether the target is a browser tab (adds navigation and {@code answer} where the family has them)
 * @param notes extra lines after the goal (e.g. how secrets are written)
 * @param display size of the image the model sees, in its pixels
 * @param history earlier steps as {@link ModelProfile#historyEntry} wrote them (plus the loop's own notes), oldest
 * first
 * @param screenshots the latest screenshots as the model sees them, newest last
 */
public record ComputerUseTurn(String goal, boolean browser, List<String> notes, ImageSize display,
		List<String> history, List<ImagePart> screenshots) {

	public ComputerUseTurn {
		notes = List.copyOf(notes);
		history = List.copyOf(history);
		screenshots = List.copyOf(screenshots);
		if (screenshots.isEmpty()) {
			throw new IllegalArgumentException("a computer-use turn needs at least one screenshot");
		}
	}

}
