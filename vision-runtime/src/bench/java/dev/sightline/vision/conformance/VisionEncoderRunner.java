package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.QwenModel;
import dev.sightline.vision.qwen.config.VisionConfig;
import dev.sightline.vision.qwen.vision.WindowPartition;
import dev.sightline.vision.weights.SafeTensorsFile;

/** {@code vision_encoder} cases: merger output of the vision tower, and the window partition exactly. */
final class VisionEncoderRunner implements CaseRunner {

	@Override
	public String kind() {
		return "vision_encoder";
	}

	@Override
	public CaseOutcome run(GoldenCase goldenCase, Path goldenDir) {
		QwenModel model = GoldenModels.get(goldenCase, goldenDir);
		try (SafeTensorsFile inputs = SafeTensorsFile.open(goldenCase.file(goldenDir, "inputs"));
				SafeTensorsFile expected = SafeTensorsFile.open(goldenCase.file(goldenDir, "expected"));
				NDManager request = model.newRequestManager()) {
			List<GridThw> grids = Golden.grids(inputs, "grid_thw");
			NDArray embeds = model.encodeVision(request, inputs.floats("pixel_values"), grids);
			VisionConfig vision = model.config().vision();
			WindowPartition partition = WindowPartition.of(grids, vision.spatialMergeSize(), vision.mergedWindowSide());
			List<Optional<String>> checks = new ArrayList<>();
			checks.add(GoldenModels.tolerance(goldenCase)
				.compare("embeds", embeds.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(),
						expected.floats("embeds")));
			checks.add(Tolerance.compareExact("window_index", longs(partition.windowIndex()),
					expected.longs("window_index")));
			checks.add(Tolerance.compareExact("cu_window_seqlens", longs(partition.cuWindowSeqlens()),
					expected.longs("cu_window_seqlens")));
			checks.add(Tolerance.compareExact("cu_seqlens", longs(partition.cuSeqlens()), expected.longs("cu_seqlens")));
			return CaseOutcome.of(checks);
		}
	}

	static long[] longs(int[] values) {
		long[] out = new long[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = values[i];
		}
		return out;
	}

}
