package dev.sightline.vision.qwen;

import java.util.List;
import java.util.Objects;

import dev.sightline.vision.preprocess.GridThw;

/**
 * One prompt as the model consumes it: token ids with placeholder runs, and the patch rows and grids of its images
 * and videos in order of appearance (spec §4.4, §5).
 *
 * @param pixelValues {@code [image patches * 1176]} row-major, empty without images
 * @param pixelValuesVideos {@code [video patches * 1176]}, empty without videos
 * @param secondPerGridTs seconds per temporal grid step of each video; null means 1.0 each
 */
public record ModelInputs(long[] inputIds, float[] pixelValues, List<GridThw> imageGrids, float[] pixelValuesVideos,
		List<GridThw> videoGrids, float[] secondPerGridTs) {

	public ModelInputs {
		Objects.requireNonNull(inputIds, "inputIds");
		if (inputIds.length == 0) {
			throw new IllegalArgumentException("a prompt needs at least one token");
		}
		pixelValues = pixelValues == null ? new float[0] : pixelValues;
		imageGrids = imageGrids == null ? List.of() : List.copyOf(imageGrids);
		pixelValuesVideos = pixelValuesVideos == null ? new float[0] : pixelValuesVideos;
		videoGrids = videoGrids == null ? List.of() : List.copyOf(videoGrids);
	}

	public static ModelInputs text(long[] inputIds) {
		return new ModelInputs(inputIds, null, null, null, null, null);
	}

}
