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
		int heads = (int) q.getShape().get(1);
		long width = heads * q.getShape().get(2);
		for (int s = 0; s + 1 < cuSeqlens.length; s++) {
			int from = cuSeqlens[s];
			int to = cuSeqlens[s + 1];
			int length = to - from;
			NDArray keysT = k.get("{}:{}", from, to).transpose(1, 2, 0); // [heads, hd, n]
			NDArray values = v.get("{}:{}", from, to).transpose(1, 0, 2); // [heads, n, hd]
			int chunk = (int) Math.max(1, Math.min(length, scoreBudgetElements / ((long) heads * length)));
			for (int qFrom = from; qFrom < to; qFrom += chunk) {
				int qTo = Math.min(to, qFrom + chunk);
				// A chunk's scores and probabilities die with its sub-manager, so peak memory is one chunk.
				try (NDManager chunkScope = q.getManager().newSubManager()) {
					NDArray queries = q.get("{}:{}", qFrom, qTo);
					queries.attach(chunkScope);
					// Float32 scores; a half product is scaled before it is formed.
					NDArray scores = CachedAttention.scaledScores(queries.transpose(1, 0, 2), keysT, scale); // [heads, c, n]
					NDArray probs = scores.softmax(-1).toType(q.getDataType(), false);
					NDArray out = probs.matMul(values).transpose(1, 0, 2).reshape(qTo - qFrom, width);
					out.attach(q.getManager());
					outputs.add(out);
				}
			}
		}
		return outputs.size() == 1 ? outputs.get(0) : NDArrays.concat(new NDList(outputs), 0);
	}

}
