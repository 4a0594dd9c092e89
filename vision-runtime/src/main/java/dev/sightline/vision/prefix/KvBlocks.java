package dev.sightline.vision.prefix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** What the prefix cache needs of a sequence's KV cache: copy a run of positions out, fill an empty one in. */
public interface KvBlocks {

	/** Tokens held. */
	int length();

	/**
	 * {@code [layers, 2, kvHeads, to - from, hd]}: a copy of the keys (index 0) and values (1) of positions
	 * {@code from..to} of every layer, owned by {@code manager}.
	 */
	NDArray copy(NDManager manager, int from, int to);

	/**
	 * Fills an empty cache's first {@code T} positions from {@code kv [layers, 2, kvHeads, T, hd]} (as {@link #copy}
	 * gives them) and advances it by {@code T}; the temporaries belong to {@code scope}.
	 */
	void restore(NDArray kv, NDManager scope);

}
