package dev.sightline.vision.qwen3;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.sightline.vision.qwen.text.TextWeights;
import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.qwen3.vision.Qwen3VisionWeights;
import dev.sightline.vision.weights.TensorReader;
import dev.sightline.vision.weights.Weights;

/**
 * Qwen3-VL's one weight loader (QWEN3_VL spec §3): every tensor its config implies, by canonical name
 * ({@link dev.sightline.vision.weights.TensorNames}: the published {@code model.visual.*} /
 * {@code model.language_model.*} keys read as {@code visual.*} / {@code model.*}) with its shape, read into the
 * per-layer records the forward passes use. The same code lists the expected tensors, which the loader validates a
 * checkpoint against before reading any data.
 */
public final class Qwen3Tensors {

	/** A Qwen3-VL checkpoint's tensors as the model uses them. */
	public record Loaded(Qwen3VisionWeights vision, TextWeights text) {
	}

	private Qwen3Tensors() {
	}

	/** Every tensor by name with its shape, in reading order. */
	public static Map<String, long[]> expected(Qwen3Config config) {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		read(TensorReader.recording(shapes), config);
		return shapes;
	}

	/**
	 * Reads every tensor into its record, each checked against the shape {@code config} implies.
	 * @throws dev.sightline.vision.weights.CheckpointException naming the tensor, the expected and the actual shape
	 */
	public static Loaded load(Qwen3Config config, Weights weights) {
		return read(TensorReader.of(weights), config);
	}

	private static Loaded read(TensorReader reader, Qwen3Config config) {
		Qwen3VisionWeights vision = Qwen3VisionWeights.read(reader, config.vision());
		return new Loaded(vision, TextWeights.read(reader, config.text(), config.tieWordEmbeddings()));
	}

	/** Present but unused: some tied exports still write a copy of the head. */
	public static Set<String> ignored(Qwen3Config config) {
		return TextWeights.ignored(config.tieWordEmbeddings());
	}

}
