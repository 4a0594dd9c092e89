package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.List;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.weights.SafeTensorsFile;

/** The {@code inputs} file of {@code forward} / {@code generate} cases as {@link ModelInputs} (batch 1). */
final class ModelInputsFile {

	private ModelInputsFile() {
	}

	static ModelInputs read(Path path) {
		try (SafeTensorsFile inputs = SafeTensorsFile.open(path)) {
			long[] ids = inputs.longs("input_ids");
			List<GridThw> imageGrids = Golden.grids(inputs, "image_grid_thw");
			List<GridThw> videoGrids = Golden.grids(inputs, "video_grid_thw");
			float[] pixels = inputs.contains("pixel_values") ? inputs.floats("pixel_values") : null;
			float[] videoPixels = inputs.contains("pixel_values_videos") ? inputs.floats("pixel_values_videos") : null;
			float[] secondPerGrid = inputs.contains("second_per_grid_ts") ? inputs.floats("second_per_grid_ts") : null;
			return new ModelInputs(ids, pixels, imageGrids, videoPixels, videoGrids, secondPerGrid);
		}
	}

}
