package dev.sightline.vision.qwen.text;

import dev.sightline.vision.qwen.config.TextConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.VisionRuntimeException;

/**
 * Keys (after rotary) and values of one sequence, preallocated for its whole length so decode steps write in place
 * instead of concatenating (spec §7.1).
 */
public final class KvCache {

	private final NDArray[] keys; // per layer [kvHeads, capacity, headDim]

	private final NDArray[] values;

	private final int capacity;

	private int length;

	public KvCache(NDManager manager, TextConfig config, int capacity, DataType dataType) {
		this(manager, config.numHiddenLayers(), config.numKeyValueHeads(), config.headDim(), capacity, dataType);
	}

	/** For any decoder with this cache layout (Qwen3-VL's head_dim is not hidden/heads, so it is passed in). */
	public KvCache(NDManager manager, int layers, int kvHeads, int headDim, int capacity, DataType dataType) {
		this.capacity = capacity;
		this.keys = new NDArray[layers];
		this.values = new NDArray[layers];
		Shape shape = new Shape(kvHeads, capacity, headDim);
		for (int layer = 0; layer < keys.length; layer++) {
			keys[layer] = manager.zeros(shape, dataType);
			values[layer] = manager.zeros(shape, dataType);
		}
	}

	/** Tokens already cached: the next token's cache position. */
	public int length() {
		return length;
	}

	public int capacity() {
		return capacity;
	}

	/** Writes {@code k, v [kvHeads, S, hd]} at the current end and returns the filled prefix of both caches. */
	public NDArray[] append(int layer, NDArray k, NDArray v) {
		long tokens = k.getShape().get(1);
		if (length + tokens > capacity) {
			throw new VisionRuntimeException("KV cache of " + capacity + " tokens cannot take " + tokens + " more after "
					+ length);
		}
		NDIndex slot = new NDIndex(":, {}:{}", length, length + tokens);
		keys[layer].set(slot, k);
		values[layer].set(slot, v);
		NDIndex filled = new NDIndex(":, :{}", length + tokens);
		return new NDArray[] { keys[layer].get(filled), values[layer].get(filled) };
	}

	/** Called once all layers have appended the same tokens. */
	public void advance(int tokens) {
		length += tokens;
	}

}
