package dev.sightline.vision.qwen3;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.weights.DType;
import dev.sightline.vision.weights.SafeTensorsWriter;
import dev.sightline.vision.weights.TensorNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A second checkpoint shape, random weights (QWEN3_VL spec §12's tiny-b shape: untied head in two shards, one KV
 * head, head_dim 16, mrope_section [3,3,2], vision head dim 8, 16×16 position table, three DeepStack levels over four
 * decoder layers): it loads, gives finite logits for a prompt with a video and an image, and a prompt fed 3 tokens a
 * pass (DeepStack rows of both items split across passes) gives the logits of a whole prefill.
 */
class Qwen3OtherShapesTest {

	@Test
	void untiedShardedThreeLevelDeepstackModelRunsWholeAndInChunksAlike(@TempDir Path dir) throws Exception {
		Qwen3TinyCheckpoint.copySideFiles(dir);
		ObjectNode config = Qwen3TinyCheckpoint.config();
		config.put("tie_word_embeddings", false);
		ObjectNode text = (ObjectNode) config.get("text_config");
		text.put("tie_word_embeddings", false).put("num_hidden_layers", 4).put("num_key_value_heads", 1)
			.put("head_dim", 16).put("intermediate_size", 96);
		text.putObject("rope_scaling").put("mrope_interleaved", true).put("rope_type", "default")
			.putArray("mrope_section").add(3).add(3).add(2);
		ObjectNode vision = (ObjectNode) config.get("vision_config");
		vision.put("depth", 3).put("num_heads", 4).put("intermediate_size", 48).put("num_position_embeddings", 256);
		vision.putArray("deepstack_visual_indexes").add(0).add(1).add(2);
		Qwen3TinyCheckpoint.writeConfig(dir, config);
		writeRandomWeights(dir, Qwen3Config.parse(config));

		GridThw video = new GridThw(2, 4, 4);
		GridThw image = new GridThw(1, 4, 6);
		List<Long> ids = new ArrayList<>(List.of(5L, 6L));
		for (int run = 0; run < video.t(); run++) {
			ids.addAll(List.of(27L, 15L + run, 29L, 1003L)); // "<t seconds>"-like text, then the frame run
			ids.addAll(List.of(1002L, 1002L, 1002L, 1002L, 1004L));
		}
		ids.addAll(List.of(9L, 1003L, 1001L, 1001L, 1001L, 1001L, 1001L, 1001L, 1004L, 10L, 11L));
		long[] inputIds = ids.stream().mapToLong(Long::longValue).toArray();
		SplittableRandom random = new SplittableRandom(3);
		ModelInputs inputs = new ModelInputs(inputIds, randomPixels(random, image.patches()), List.of(image),
				randomPixels(random, video.patches()), List.of(video), null);

		try (Qwen3Model model = Qwen3Model.load(dir, Qwen3TinyCheckpoint.CPU_FP32)) {
			float[] whole;
			long[][] positions;
			try (Qwen3Sequence sequence = model.newSequence(inputIds.length)) {
				whole = sequence.prefill(inputs, false);
				positions = sequence.prefillPositions();
			}
			assertThat(whole).hasSize(1024);
			for (float value : whole) {
				assertThat(value).isFinite();
			}
			// Both frame runs restart at their own start position on the temporal axis (spec §8).
			assertThat(positions[0][6]).isEqualTo(positions[0][9]).isEqualTo(6);
			assertThat(positions[0][15]).isEqualTo(positions[0][18]).isEqualTo(13); // 6 + max(2, 2) + 5 text tokens
			try (Qwen3Sequence sequence = model.newSequence(inputIds.length)) {
				sequence.prepare(inputs);
				float[] last = null;
				while (sequence.promptTokensLeft() > 0) {
					float[] logits = Qwen3Sequence.pass(List.of(sequence), new long[] { 0 }, 3)[0];
					last = logits == null ? last : logits;
				}
				assertThat(last).containsExactly(whole, within(1e-4f));
			}
		}
	}

	private static float[] randomPixels(SplittableRandom random, int patches) {
		float[] pixels = new float[patches * 1536];
		for (int i = 0; i < pixels.length; i++) {
			pixels[i] = (float) (random.nextDouble() * 2 - 1);
		}
		return pixels;
	}

	/** Norm weights near 1, everything else small, in the published key layout, dealt into two shards. */
	private static void writeRandomWeights(Path dir, Qwen3Config config) throws Exception {
		SplittableRandom random = new SplittableRandom(11);
		SafeTensorsWriter[] shards = { new SafeTensorsWriter(), new SafeTensorsWriter() };
		Map<String, String> weightMap = new LinkedHashMap<>();
		int i = 0;
		for (Map.Entry<String, long[]> tensor : Qwen3Tensors.expected(config).entrySet()) {
			long count = 1;
			for (long d : tensor.getValue()) {
				count *= d;
			}
			boolean norm = tensor.getValue().length == 1 && tensor.getKey().contains("norm.weight")
					|| tensor.getKey().endsWith("layernorm.weight") || tensor.getKey().endsWith("norm1.weight")
					|| tensor.getKey().endsWith("norm2.weight");
			float[] values = new float[(int) count];
			for (int v = 0; v < values.length; v++) {
				values[v] = norm ? 1 + 0.1f * (float) (random.nextDouble() - 0.5)
						: 0.2f * (float) (random.nextDouble() - 0.5);
			}
			String name = TensorNames.newLayout(tensor.getKey());
			String shard = Qwen3TinyCheckpoint.shardName(i % 2, 2);
			shards[i++ % 2].add(new SafeTensorsWriter.Tensor(name, DType.F32, tensor.getValue(),
					SafeTensorsWriter.f32(values)));
			weightMap.put(name, shard);
		}
		for (int s = 0; s < 2; s++) {
			shards[s].write(dir.resolve(Qwen3TinyCheckpoint.shardName(s, 2)));
		}
		Qwen3TinyCheckpoint.JSON.writeValue(dir.resolve("model.safetensors.index.json").toFile(),
				Map.of("metadata", Map.of("total_size", 0), "weight_map", weightMap));
	}

}
