package dev.sightline.vision.qwen.text;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Causal grouped-query attention of one sequence over its {@link KvCache} (Qwen2.5-VL spec §7.1; QWEN3_VL spec
 * §7.1 is the same core): appends the new keys and values, then {@code softmax(q k^T / sqrt(hd) + causal) v} with
 * float32 scores and softmax whatever the activations' dtype. Shared by the Qwen2.5-VL and Qwen3-VL decoders, which
 * differ only before this step. A pass builds its causal masks once, on the device ({@link #passMasks}), and hands
 * each sequence's to every layer.
 */
public final class CachedAttention {

	private CachedAttention() {
	}

	/**
	 * The causal mask of each sequence of a pass, built once for all its layers: {@code [S, T]} for a sequence
	 * feeding {@code S > 1} rows after its cached ones whose queries fit one chunk; null for a single row (which
	 * sees everything) or a chunked prompt (whose chunks build their own, see {@link #attend}).
	 * @param manager owns the masks (the pass's scope)
	 */
	public static NDArray[] passMasks(NDManager manager, List<KvCache> caches, int[] rowsPerCache, int heads,
			long scoreBudgetElements) {
		NDArray[] masks = new NDArray[caches.size()];
		for (int b = 0; b < caches.size(); b++) {
			int past = caches.get(b).length();
			int count = rowsPerCache[b];
			if (count > 1 && queryChunk(count, past + count, heads, scoreBudgetElements) == count) {
				masks[b] = causalMask(manager, 0, count, past, past + count);
			}
		}
		return masks;
	}

	/**
	 * @param q {@code [S, heads, hd]} queries after rotary
	 * @param k {@code [S, kvHeads, hd]} keys after rotary
	 * @param v {@code [S, kvHeads, hd]} values
	 * @param scoreBudgetElements float32 elements one chunk of scores may hold; queries are chunked to fit
	 * @param mask this sequence's entry of {@link #passMasks}; null builds it here when needed
	 * @return {@code [S, heads * hd]} context
	 */
	public static NDArray attend(int layer, NDArray q, NDArray k, NDArray v, KvCache cache, int kvHeads,
			long scoreBudgetElements, NDArray mask) {
		long tokens = q.getShape().get(0);
		int heads = (int) q.getShape().get(1);
		int headDim = (int) q.getShape().get(2);
		int group = heads / kvHeads;
		int past = cache.length();
		NDArray[] cached = cache.append(layer, k.transpose(1, 0, 2), v.transpose(1, 0, 2)); // [kv, T, hd]
		// The views of the cache belong to this step, not to the request that owns the cache.
		cached[0].attach(q.getManager());
		cached[1].attach(q.getManager());
		long total = cached[0].getShape().get(1);
		NDArray keysT = cached[0].transpose(0, 2, 1);
		// GQA without repeating the cache: query head j = g * group + i reads KV head g, so the group's queries
		// line up as one [group * c] block per KV head.
		NDArray grouped = q.reshape(tokens, kvHeads, group, headDim).transpose(1, 2, 0, 3); // [kv, group, S, hd]
		float scale = (float) (1 / Math.sqrt(headDim));
		// Queries are chunked so one chunk's float32 scores stay within the budget, whatever the prompt length.
		long chunk = queryChunk(tokens, total, heads, scoreBudgetElements);
		NDManager owner = q.getManager();
		if (chunk == tokens) {
			// A caller outside a pass (no mask of its own) gets one built here.
			NDArray causal = tokens == 1 ? null : mask != null ? mask : causalMask(owner, 0, (int) tokens, past, (int) total);
			return attendChunk(grouped, keysT, cached[1], causal, scale, total)
				.reshape(tokens, (long) heads * headDim);
		}
		NDList outputs = new NDList();
		for (long from = 0; from < tokens; from += chunk) {
			long to = Math.min(tokens, from + chunk);
			// A chunk's scores and probabilities die with its sub-manager, so peak memory is one chunk.
			try (NDManager chunkScope = owner.newSubManager()) {
				NDArray queries = grouped.get(":, :, {}:{}", from, to);
				queries.attach(chunkScope);
				// The mask is built per chunk too: over a whole long prompt it would be as large as the scores.
				NDArray chunkMask = causalMask(chunkScope, (int) from, (int) to, past, (int) total);
				NDArray out = attendChunk(queries, keysT, cached[1], chunkMask, scale, total);
				out.attach(owner);
				outputs.add(out);
			}
		}
		return NDArrays.concat(outputs, 0).reshape(tokens, (long) heads * headDim);
	}

	/** Queries per chunk of prefill attention so one chunk's float32 scores stay within the budget. */
	static long queryChunk(long tokens, long total, int heads, long scoreBudgetElements) {
		return Math.max(1, Math.min(tokens, scoreBudgetElements / ((long) heads * total)));
	}

	/**
	 * @param grouped {@code [kv, group, c, hd]} queries
	 * @return {@code [c, kv, group, hd]} context
	 */
	private static NDArray attendChunk(NDArray grouped, NDArray keysT, NDArray values, NDArray mask, float scale,
			long total) {
		Shape shape = grouped.getShape();
		long kvHeads = shape.get(0);
		long group = shape.get(1);
		long count = shape.get(2);
		long headDim = shape.get(3);
		NDArray queries = grouped.reshape(kvHeads, group * count, headDim);
		NDArray scores = scaledScores(queries, keysT, scale); // [kv, group * c, T]
		if (mask != null) {
			scores = scores.reshape(kvHeads, group, count, total).add(mask).reshape(kvHeads, group * count, total);
		}
		NDArray context = scores.softmax(-1).toType(grouped.getDataType(), false).matMul(values); // [kv, group*c, hd]
		return context.reshape(kvHeads, group, count, headDim).transpose(2, 0, 1, 3);
	}

	/**
	 * Float32 {@code q k^T * scale}, for the decoders' and the vision towers' attention alike. A half product is
	 * scaled first: unscaled, it would hold q·k up to sqrt(hd) times larger than the scores themselves.
	 */
	public static NDArray scaledScores(NDArray queries, NDArray keysT, float scale) {
		if (queries.getDataType() == DataType.FLOAT16) {
			return queries.mul(scale).matMul(keysT).toType(DataType.FLOAT32, false);
		}
		return queries.matMul(keysT).toType(DataType.FLOAT32, false).muli(scale);
	}

	/**
	 * {@code [to - from, total]} for queries {@code from..to} of a prompt after {@code past} cached tokens: query i
	 * (at cache position past + i) sees keys up to past + i; the others get float32's lowest value. Built on the
	 * manager's device from two ranges, so nothing rows × total large crosses from the host.
	 */
	static NDArray causalMask(NDManager manager, int from, int to, int past, int total) {
		int rows = to - from;
		try (NDManager scope = manager.newSubManager()) {
			NDArray keys = scope.arange(0, total).reshape(1, total);
			NDArray lastVisible = scope.arange(past + from, past + to).reshape(rows, 1);
			NDArray mask = keys.gt(lastVisible).toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
			mask.attach(manager);
			return mask;
		}
	}

}
