package dev.sightline.vision.qwen.vision;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.qwen.text.CachedAttention;

/**
 * Unmasked attention within consecutive segments of patches (one image or one temporal slice each, given by
 * {@code cu_seqlens}), none across them: Qwen2.5-VL's full-attention blocks (spec §6.3) and every Qwen3-VL vision
 * block (QWEN3_VL spec §6.4). Queries are chunked so one chunk's float32 scores stay under a budget.
 */
public final class SegmentAttention {

	private SegmentAttention() {
	}

	/**
	 * @param q {@code [N, heads, hd]}, rows in segment order; k and v alike
	 * @return {@code [N, heads * hd]} context, owned by {@code q}'s manager
	 */
	public static NDArray attend(NDArray q, NDArray k, NDArray v, int[] cuSeqlens, float scale,
			long scoreBudgetElements) {
		List<NDArray> outputs = new ArrayList<>();
		for (int s = 0; s + 1 < cuSeqlens.length; s++) {
			outputs.add(attendQueries(q, k, v, cuSeqlens[s], cuSeqlens[s + 1], cuSeqlens[s], cuSeqlens[s + 1], scale,
					scoreBudgetElements));
		}
		return outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(new NDList(outputs), 0);
	}

	/**
	 * Queries {@code qFrom..qTo} attending over the patches {@code from..to} of their segment; the queries need not
	 * be the whole segment (an encode may run a large image's full-attention block a run of queries at a time).
	 * @return {@code [qTo - qFrom, heads * hd]} context, owned by {@code q}'s manager
	 */
	public static NDArray attendQueries(NDArray q, NDArray k, NDArray v, int qFrom, int qTo, int from, int to,
			float scale, long scoreBudgetElements) {
		int heads = (int) q.getShape().get(1);
		long width = heads * q.getShape().get(2);
		int length = to - from;
		NDArray keysT = k.get("{}:{}", from, to).transpose(1, 2, 0); // [heads, hd, n]
		NDArray values = v.get("{}:{}", from, to).transpose(1, 0, 2); // [heads, n, hd]
		int chunk = (int) Math.max(1, Math.min(qTo - qFrom, scoreBudgetElements / ((long) heads * length)));
		List<NDArray> outputs = new ArrayList<>();
		for (int start = qFrom; start < qTo; start += chunk) {
			int end = Math.min(qTo, start + chunk);
			// A chunk's scores and probabilities die with its sub-manager, so peak memory is one chunk.
			try (NDManager chunkScope = q.getManager().newSubManager()) {
				NDArray queries = q.get("{}:{}", start, end);
				queries.attach(chunkScope);
				// Float32 scores; a half product is scaled before it is formed.
				NDArray scores = CachedAttention.scaledScores(queries.transpose(1, 0, 2), keysT, scale); // [heads, c, n]
				NDArray probs = scores.softmax(-1).toType(q.getDataType(), false);
				NDArray out = probs.matMul(values).transpose(1, 0, 2).reshape(end - start, width);
				out.attach(q.getManager());
				outputs.add(out);
			}
		}
		return outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(new NDList(outputs), 0);
	}

}
