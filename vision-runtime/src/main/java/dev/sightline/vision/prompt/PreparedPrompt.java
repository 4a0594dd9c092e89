package dev.sightline.vision.prompt;

import java.util.List;

import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.video.ProcessedVideo;

/**
 * A conversation turned into model inputs.
 *
 * @param inputIds token ids with every image/video placeholder expanded to its token count
 * @param images processed images in placeholder order
 * @param videos processed videos in placeholder order
 */
public record PreparedPrompt(long[] inputIds, List<ProcessedImage> images, List<ProcessedVideo> videos) {

	public PreparedPrompt {
		images = List.copyOf(images);
		videos = List.copyOf(videos);
	}

}
