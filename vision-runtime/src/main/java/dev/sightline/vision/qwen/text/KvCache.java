package dev.sightline.vision.qwen.text;

import dev.sightline.vision.qwen.config.DecoderConfig;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.prefix.KvBlocks;

/**
 * Keys (after rotary) and values of one sequence, preallocated for its whole length so decode steps write in place
 * instead of concatenating (spec §7.1).
 */
public final class KvCache implements KvBlocks {

	private final NDArray[] keys; // per layer [kvHeads, capacity, headDim]

	private final NDArray[] values;

	private final int capacity;

	private int length;

	public KvCache(NDManager manager, DecoderConfig config, int capacity, DataType dataType) {
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
	@Override
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

	@Override
	public NDArray copy(NDManager manager, int from, int to) {
		if (from < 0 || to > length || from >= to) {
			throw new IllegalArgumentException("cannot copy positions " + from + ".." + to + " of a cache holding "
					+ length + " tokens");
		}
		try (NDManager scope = manager.newSubManager()) {
			NDList layers = new NDList(keys.length);
			NDIndex range = new NDIndex(":, {}:{}", from, to);
			for (int layer = 0; layer < keys.length; layer++) {
				NDArray k = keys[layer].get(range);
				NDArray v = values[layer].get(range);
				k.attach(scope);
				v.attach(scope);
				layers.add(NDArrays.stack(new NDList(k, v), 0));
			}
			NDArray all = NDArrays.stack(layers, 0);
			all.attach(manager);
			return all;
		}
	}

	@Override
	public void restore(NDArray kv, NDManager scope) {
		long tokens = kv.getShape().get(3);
		if (length != 0 || kv.getShape().get(0) != keys.length || tokens > capacity) {
			throw new IllegalArgumentException("cannot restore " + kv.getShape() + " into a cache of " + keys.length
					+ " layers holding " + length + " of " + capacity + " tokens");
		}
		NDIndex slot = new NDIndex(":, 0:{}", tokens);
		for (int layer = 0; layer < keys.length; layer++) {
			NDArray k = kv.get(new NDIndex("{}, 0", layer));
			NDArray v = kv.get(new NDIndex("{}, 1", layer));
			k.attach(scope);
			v.attach(scope);
			keys[layer].set(slot, k);
			values[layer].set(slot, v);
		}
		length = (int) tokens;
	}

	/** Called once all layers have appended the same tokens. */
	public void advance(int tokens) {
		length += tokens;
	}

}
