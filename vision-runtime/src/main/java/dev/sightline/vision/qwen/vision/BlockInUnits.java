package dev.sightline.vision.qwen.vision;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * One full-attention vision block of a large image run in units, so an encode can yield between them (Qwen2.5-VL's
 * full-attention blocks, every Qwen3-VL block): first the queries, keys and values of all patches, then one run of
 * queries at a time through {@link SegmentAttention#attendQueries} and the rest of the block, row by row; the runs'
 * outputs are joined when the last has run. Both towers share this bookkeeping; each gives its own block halves.
 */
public final class BlockInUnits implements AutoCloseable {

	private final NDManager scope;

	private final NDArray x;

	private final List<int[]> queryRuns;

	private final float scale;

	private final long scoreBudgetElements;

	private final Function<NDArray, NDArray[]> queriesKeysValues;

	private final BinaryOperator<NDArray> afterAttention;

	// 0 before the queries, keys and values, then 1 + the query runs done.
	private int unitsDone;

	// Holds the queries, keys and values while the query runs go.
	private NDManager units;

	private NDArray[] qkv;

	private final NDList runOutputs = new NDList();

	/**
	 * @param scope the encode's manager: the runs' outputs and the block's output are attached to it
	 * @param x {@code [N, hidden]} the block's input, unchanged while the block runs
	 * @param queryRuns runs of queries {from, to, segment from, segment to}, in row order, covering all rows
	 * @param queriesKeysValues the block's first half: {@code x} to {q, k, v}, each {@code [N, heads, hd]}
	 * @param afterAttention the block's second half: (input rows, their attention context) to output rows
	 */
	public BlockInUnits(NDManager scope, NDArray x, List<int[]> queryRuns, float scale, long scoreBudgetElements,
			Function<NDArray, NDArray[]> queriesKeysValues, BinaryOperator<NDArray> afterAttention) {
		this.scope = scope;
		this.x = x;
		this.queryRuns = queryRuns;
		this.scale = scale;
		this.scoreBudgetElements = scoreBudgetElements;
		this.queriesKeysValues = queriesKeysValues;
		this.afterAttention = afterAttention;
	}

	/** Units this block takes: the queries, keys and values, then each query run. */
	public static int unitsOf(List<int[]> queryRuns) {
		return 1 + queryRuns.size();
	}

	/** Units run so far (0 to {@link #unitsOf} - 1; the last returns the output). */
	public int unitsDone() {
		return unitsDone;
	}

	/**
	 * Runs the next unit.
	 * @return the block's {@code [N, hidden]} output, owned by the scope, after the last unit; else null
	 */
	public NDArray step() {
		if (unitsDone == 0) {
			units = scope.newSubManager();
			try (NDManager unit = units.newSubManager()) {
				x.tempAttach(unit);
				qkv = queriesKeysValues.apply(x);
				for (NDArray part : qkv) {
					part.attach(units);
				}
			}
			unitsDone = 1;
			return null;
		}
		int[] run = queryRuns.get(unitsDone - 1);
		try (NDManager unit = scope.newSubManager()) {
			NDArray rows = x.get("{}:{}", run[0], run[1]);
			rows.attach(unit);
			NDArray context = SegmentAttention.attendQueries(qkv[0], qkv[1], qkv[2], run[0], run[1], run[2], run[3],
					scale, scoreBudgetElements);
			context.attach(unit);
			NDArray out = afterAttention.apply(rows, context);
			out.attach(scope);
			runOutputs.add(out);
		}
		unitsDone++;
		if (unitsDone < unitsOf(queryRuns)) {
			return null;
		}
		NDArray out = NDArrays.concat(runOutputs, 0);
		out.attach(scope);
		close();
		return out;
	}

	/** Frees the queries, keys, values and run outputs held (the block's output, once returned, is the caller's). */
	@Override
	public void close() {
		runOutputs.close();
		runOutputs.clear();
		if (units != null) {
			units.close();
			units = null;
		}
		qkv = null;
	}

}
