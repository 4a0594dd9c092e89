package dev.sightline.vision.weights;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Loaded tensors by canonical (published-layout) name; owns the manager that holds them. */
public final class Weights implements AutoCloseable {

	private final NDManager manager;

	private final Map<String, NDArray> tensors;

	Weights(NDManager manager, Map<String, NDArray> tensors) {
		this.manager = manager;
		this.tensors = Map.copyOf(tensors);
	}

	public NDArray get(String canonicalName) {
		NDArray array = tensors.get(canonicalName);
		if (array == null) {
			throw new CheckpointException(canonicalName + " not found in weights");
		}
		return array;
	}

	public boolean contains(String canonicalName) {
		return tensors.containsKey(canonicalName);
	}

	public NDManager manager() {
		return manager;
	}

	/** Bytes the loaded tensors occupy in their compute dtype. */
	public long bytes() {
		return tensors.values().stream().mapToLong(a -> a.size() * a.getDataType().getNumOfBytes()).sum();
	}

	@Override
	public void close() {
		manager.close();
	}

}
