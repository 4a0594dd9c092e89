package dev.sightline.vision.qwen.text;

import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
	 * Attention of one shared pass: the rows of {@code q, k, v} come in runs, {@code rowsPerCache[b]} for the
	 * sequence whose cache is {@code caches.get(b)}, each attending over its own cache. A pass of single rows (every
	 * sequence decoding) runs as one batch over the caches padded to the longest; otherwise each run attends on its
	 * own.
	 * @param masks the pass's {@link #passMasks}
	 * @return {@code [N, heads * hd]} context
	 */
	public static NDArray attendPass(int layer, NDArray q, NDArray k, NDArray v, List<KvCache> caches,
			int[] rowsPerCache, int kvHeads, long scoreBudgetElements, NDArray[] masks) {
		if (caches.size() == 1) {
			return attend(layer, q, k, v, caches.get(0), kvHeads, scoreBudgetElements, masks[0]);
		}
		if (Arrays.stream(rowsPerCache).allMatch(rows -> rows == 1)) {
			return attendDecodeRows(layer, q, k, v, caches, kvHeads);
		}
		NDList contexts = new NDList(caches.size());
		long from = 0;
		for (int b = 0; b < caches.size(); b++) {
			String run = from + ":" + (from + rowsPerCache[b]);
			contexts.add(attend(layer, q.get(run), k.get(run), v.get(run), caches.get(b), kvHeads, scoreBudgetElements,
					masks[b]));
			from += rowsPerCache[b];
		}
		return NDArrays.concat(contexts, 0);
	}

	/**
	 * One decode row per cache, attended as one batch: each cache (after appending its row) is copied into a
	 * {@code [B, kv, longest, hd]} block, the positions past its own length masked out. Per sequence this leaves the
	 * append and one copy instead of some twenty small ops, which a decode step of many sequences at a short context
	 * spent more time dispatching than computing (a third of a 16-sequence step on two cores).
	 * @param q {@code [B, heads, hd]} queries after rotary; k and v {@code [B, kvHeads, hd]}
	 * @return {@code [B, heads * hd]} context
	 */
	static NDArray attendDecodeRows(int layer, NDArray q, NDArray k, NDArray v, List<KvCache> caches, int kvHeads) {
		int batch = caches.size();
		int heads = (int) q.getShape().get(1);
		int headDim = (int) q.getShape().get(2);
		int group = heads / kvHeads;
		NDManager owner = q.getManager();
		int longest = 0;
		for (KvCache cache : caches) {
			longest = Math.max(longest, cache.length() + 1);
		}
		Shape blockShape = new Shape(batch, kvHeads, longest, headDim);
		NDArray keys = owner.zeros(blockShape, k.getDataType());
		NDArray values = owner.zeros(blockShape, v.getDataType());
		NDArray newKeys = k.transpose(1, 0, 2); // [kv, B, hd]
		NDArray newValues = v.transpose(1, 0, 2);
		float[] padding = new float[batch * longest];
		for (int b = 0; b < batch; b++) {
			KvCache cache = caches.get(b);
			int filled = cache.length() + 1;
			NDArray[] cached = cache.append(layer, newKeys.get(":, {}:{}", b, b + 1), newValues.get(":, {}:{}", b, b + 1));
			cached[0].attach(owner);
			cached[1].attach(owner);
			NDIndex slot = new NDIndex("{}, :, :{}", b, filled);
			keys.set(slot, cached[0]);
			values.set(slot, cached[1]);
			Arrays.fill(padding, b * longest + filled, (b + 1) * longest, -Float.MAX_VALUE);
		}
		// Query head j = g * group + i reads KV head g, so the group's queries line up per KV head.
		NDArray grouped = q.reshape(batch, kvHeads, group, headDim);
		NDArray scores = scaledScores(grouped, keys.transpose(0, 1, 3, 2), (float) (1 / Math.sqrt(headDim)))
			.add(owner.create(padding, new Shape(batch, 1, 1, longest))); // [B, kv, group, T]
		NDArray context = scores.softmax(-1).toType(q.getDataType(), false).matMul(values); // [B, kv, group, hd]
		return context.reshape(batch, (long) heads * headDim);
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
