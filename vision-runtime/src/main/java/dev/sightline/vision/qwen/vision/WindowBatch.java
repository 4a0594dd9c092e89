package dev.sightline.vision.qwen.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.qwen.text.CachedAttention;

/**
 * Windowed attention as one batch of short sequences (spec §6.3, §6.4): the windows (contiguous after the reorder)
 * are gathered into {@code [windows, maxLength]} slots, shorter windows padded and their padding keys masked, and
 * the outputs gathered back. Memory is windows × maxLength², never patches².
 */
final class WindowBatch {

	private final int windows;

	private final int maxLength;

	private final NDArray gather; // [windows * maxLength] patch row per slot (padding slots point at row 0)

	private final NDArray scatter; // [N] slot of each patch row

	private final NDArray keyMask; // [windows, 1, 1, maxLength] 0 or -inf; null when every window is full

	private WindowBatch(int windows, int maxLength, NDArray gather, NDArray scatter, NDArray keyMask) {
		this.windows = windows;
		this.maxLength = maxLength;
		this.gather = gather;
		this.scatter = scatter;
		this.keyMask = keyMask;
	}

	static WindowBatch of(NDManager manager, int[] cuWindowSeqlens) {
		int windows = cuWindowSeqlens.length - 1;
		int maxLength = 0;
		for (int i = 0; i < windows; i++) {
			maxLength = Math.max(maxLength, cuWindowSeqlens[i + 1] - cuWindowSeqlens[i]);
		}
		long[] gather = new long[windows * maxLength];
		long[] scatter = new long[cuWindowSeqlens[windows]];
		float[] mask = new float[windows * maxLength];
		boolean padded = false;
		for (int w = 0; w < windows; w++) {
			int length = cuWindowSeqlens[w + 1] - cuWindowSeqlens[w];
			for (int j = 0; j < maxLength; j++) {
				int slot = w * maxLength + j;
				if (j < length) {
					gather[slot] = cuWindowSeqlens[w] + j;
					scatter[cuWindowSeqlens[w] + j] = slot;
				}
				else {
					mask[slot] = Float.NEGATIVE_INFINITY;
					padded = true;
				}
			}
		}
		NDArray keyMask = padded ? manager.create(mask, new Shape(windows, 1, 1, maxLength)) : null;
		return new WindowBatch(windows, maxLength, manager.create(gather), manager.create(scatter), keyMask);
	}

	/** {@code q, k, v [N, heads, hd]} in window order → {@code [N, heads * hd]}. */
	NDArray attend(NDArray q, NDArray k, NDArray v, float scale) {
		long heads = q.getShape().get(1);
		long headDim = q.getShape().get(2);
		NDArray queries = batch(q); // [W, heads, L, hd]
		NDArray keysT = batch(k).transpose(0, 1, 3, 2); // [W, heads, hd, L]
		NDArray values = batch(v);
		NDArray scores = CachedAttention.scaledScores(queries, keysT, scale); // [W, heads, L, L]
		if (keyMask != null) {
			scores = scores.add(keyMask);
		}
		NDArray context = scores.softmax(-1).toType(q.getDataType(), false).matMul(values); // [W, heads, L, hd]
		NDArray slots = context.transpose(0, 2, 1, 3).reshape((long) windows * maxLength, heads * headDim);
		return slots.get(scatter);
	}

	private NDArray batch(NDArray x) {
		long heads = x.getShape().get(1);
		long headDim = x.getShape().get(2);
		return x.get(gather).reshape(windows, maxLength, heads, headDim).transpose(0, 2, 1, 3);
	}

}
