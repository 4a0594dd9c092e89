package dev.sightline.vision.weights;

import java.util.Arrays;
import java.util.Map;

import ai.djl.ndarray.NDArray;

/**
 * Where a family's loader takes its tensors from, by canonical name, each with the shape its config implies. The
 * same loader code both lists a checkpoint's expected tensors ({@link #recording}, validated before any data is
 * read) and fills the model's per-layer weight records from the loaded {@link Weights} ({@link #of}), so names and
 * shapes are written once.
 */
@FunctionalInterface
public interface TensorReader {

	/**
	 * The tensor {@code name}, which must have {@code shape}.
	 * @return the loaded tensor; null when only recording the layout
	 * @throws CheckpointException when it is missing or has another shape
	 */
	NDArray take(String name, long... shape);

	/** Reads loaded weights, checking each tensor's shape against the one the config implies. */
	static TensorReader of(Weights weights) {
		return (name, shape) -> {
			NDArray array = weights.get(name);
			long[] actual = array.getShape().getShape();
			if (!Arrays.equals(actual, shape)) {
				throw new CheckpointException("tensor " + name + " has shape " + Arrays.toString(actual)
						+ " but the config implies " + Arrays.toString(shape));
			}
			return array;
		};
	}

	/** Records every tensor's name and shape into {@code layout} (in reading order) and returns null for each. */
	static TensorReader recording(Map<String, long[]> layout) {
		return (name, shape) -> {
			layout.put(name, shape.clone());
			return null;
		};
	}

}
