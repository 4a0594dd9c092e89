package dev.sightline.vision.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen3.Qwen3Model;
import dev.sightline.vision.qwen.nn.PatchGrid;
import dev.sightline.vision.qwen3.vision.VisionFeatures;
import dev.sightline.vision.weights.SafeTensorsFile;

/**
 * Qwen3-VL {@code vision_encoder}: merger output, every DeepStack output and the interpolated position embeddings
 * within tolerance; attention segments and rotary (row, col) ids exactly.
 */
final class Qwen3VisionEncoderRunner implements CaseRunner {

	@Override
	public String kind() {
		return "vision_encoder";
	}

	@Override
	public CaseOutcome run(GoldenCase goldenCase, Path goldenDir) {
		Qwen3Model model = Qwen3GoldenModels.get(goldenCase, goldenDir);
		try (SafeTensorsFile inputs = SafeTensorsFile.open(goldenCase.file(goldenDir, "inputs"));
				SafeTensorsFile expected = SafeTensorsFile.open(goldenCase.file(goldenDir, "expected"));
				NDManager request = model.newRequestManager()) {
			List<GridThw> grids = Golden.grids(inputs, "grid_thw");
			VisionFeatures features = model.encodeVision(request, inputs.floats("pixel_values"), grids);
			List<Optional<String>> checks = new ArrayList<>();
			Tolerance tolerance = GoldenModels.tolerance(goldenCase);
			checks.add(tolerance.compare("embeds", floats(features.embeds()), expected.floats("embeds")));
			float[] deepstack = expected.floats("deepstack_embeds");
			int levels = features.deepstack().size();
			long[] shape = expected.info("deepstack_embeds").shape();
			if (shape[0] != levels) {
				checks.add(Optional.of("deepstack_embeds: " + levels + " levels, expected " + shape[0]));
			}
			else {
				float[] actual = new float[deepstack.length];
				int at = 0;
				for (NDArray level : features.deepstack()) {
					float[] values = floats(level);
					System.arraycopy(values, 0, actual, at, Math.min(values.length, actual.length - at));
					at += values.length;
				}
				checks.add(at == actual.length ? tolerance.compare("deepstack_embeds", actual, deepstack)
						: Optional.of("deepstack_embeds: " + at + " values, expected " + actual.length));
			}
			if (expected.contains("pos_embeds")) {
				checks.add(tolerance.compare("pos_embeds",
						floats(model.vision().positionEmbeddings(request, grids)), expected.floats("pos_embeds")));
			}
			PatchGrid layout = PatchGrid.of(grids, model.config().vision().spatialMergeSize());
			if (expected.contains("cu_seqlens")) {
				checks.add(Tolerance.compareExact("cu_seqlens", VisionEncoderRunner.longs(layout.cuSeqlens()),
						expected.longs("cu_seqlens")));
			}
			if (expected.contains("rot_pos_ids")) {
				long[] ids = new long[layout.patches() * 2];
				for (int i = 0; i < layout.patches(); i++) {
					ids[2 * i] = layout.rows()[i];
					ids[2 * i + 1] = layout.cols()[i];
				}
				checks.add(Tolerance.compareExact("rot_pos_ids", ids, expected.longs("rot_pos_ids")));
			}
			return CaseOutcome.of(checks);
		}
	}

	private static float[] floats(NDArray array) {
		return array.toType(DataType.FLOAT32, false).toFloatArray();
	}

}
