package dev.sightline.vision.qwen;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.sightline.vision.qwen.config.QwenConfig;
import dev.sightline.vision.qwen.text.TextWeights;
import dev.sightline.vision.qwen.vision.VisionTower;
import dev.sightline.vision.qwen.vision.VisionWeights;
import dev.sightline.vision.weights.TensorReader;
import dev.sightline.vision.weights.Weights;

/**
 * Qwen2.5-VL's one weight loader (spec §3.2): every tensor its config implies, by published-layout name with its
 * shape, read into the per-layer records the forward passes use. The same code lists the expected tensors, which
 * the loader validates a checkpoint against before reading any data.
 */
public final class QwenTensors {

	/**
	 * A Qwen2.5-VL checkpoint's tensors as the model uses them.
	 *
	 * @param vision the vision tower's, its MLP padded ({@link VisionTower#padIntermediate})
	 * @param text the decoder's
	 */
	public record Loaded(VisionWeights vision, TextWeights text) {
	}

	private QwenTensors() {
	}

	/** Every tensor by name with its shape, in reading order. */
	public static Map<String, long[]> expected(QwenConfig config) {
		Map<String, long[]> shapes = new LinkedHashMap<>();
		TensorReader reader = TensorReader.recording(shapes);
		VisionWeights.read(reader, config.vision(), config.vision().intermediateSize());
		TextWeights.read(reader, config.text(), config.tieWordEmbeddings());
		return shapes;
	}

	/**
	 * Pads the vision MLP and reads every tensor into its record, each checked against the shape {@code config}
	 * implies.
	 * @throws dev.sightline.vision.weights.CheckpointException naming the tensor, the expected and the actual shape
	 */
	public static Loaded load(QwenConfig config, Weights weights) {
		VisionWeights vision = VisionTower.load(config.vision(), weights);
		return new Loaded(vision, TextWeights.read(TensorReader.of(weights), config.text(), config.tieWordEmbeddings()));
	}

	/** Present but unused: some tied exports still write a copy of the head. */
	public static Set<String> ignored(QwenConfig config) {
		return TextWeights.ignored(config.tieWordEmbeddings());
	}

}
