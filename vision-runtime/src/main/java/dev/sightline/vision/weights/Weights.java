package dev.sightline.vision.weights;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Loaded tensors by canonical (published-layout) name; owns the manager that holds them. */
public final class Weights implements AutoCloseable {

	private final NDManager manager;

	private final Map<String, NDArray> tensors;

	Weights(NDManager manager, Map<String, NDArray> tensors) {
		this.manager = manager;
		this.tensors = new ConcurrentHashMap<>(tensors);
	}

	public NDArray get(String canonicalName) {
		NDArray array = tensors.get(canonicalName);
		if (array == null) {
			throw new CheckpointException(canonicalName + " not found in weights");
		}
		return array;
	}

	/**
	 * Swaps a loaded tensor for a derived one (e.g. zero-padded to a faster shape) and frees the old one, so the
	 * model never holds both. {@code replacement} moves to this manager.
	 */
	public void replace(String canonicalName, NDArray replacement) {
		NDArray old = get(canonicalName);
		replacement.attach(manager);
		tensors.put(canonicalName, replacement);
		old.close();
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
