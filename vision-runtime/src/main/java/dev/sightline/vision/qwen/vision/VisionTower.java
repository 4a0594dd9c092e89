package dev.sightline.vision.qwen.vision;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.config.VisionConfig;
import dev.sightline.vision.qwen.nn.Linear;
import dev.sightline.vision.qwen.nn.PatchGrid;
import dev.sightline.vision.qwen.nn.RmsNorm;
import dev.sightline.vision.qwen.nn.Rotary;
import dev.sightline.vision.qwen.nn.VisionRotary;
import dev.sightline.vision.weights.FiniteCheck;
import dev.sightline.vision.weights.Precision;
import dev.sightline.vision.weights.TensorReader;
import dev.sightline.vision.weights.Weights;

/**
 * The Qwen2.5-VL vision tower (spec §6): patch embedding as one matmul over the 1176-wide patch rows, window
 * reorder, blocks of windowed or full attention with 2-D rotary, patch merger, and the reverse reorder. Windowed
 * blocks run every window as one batch of short sequences; full-attention blocks attend per image or temporal
 * slice with the queries chunked, so no layer materialises scores over all patches of a request.
 */
public final class VisionTower {

	/** Float32 elements one chunk of full-attention scores may hold (256 MiB). */
	static final long SCORE_BUDGET_ELEMENTS = 64L << 20;

	private static final double EPS = 1e-6;

	private final VisionConfig config;

	private final VisionWeights weights;

	/**
	 * libtorch's CPU GEMM runs widths that are not a multiple of 64 (the published 3420) at a fraction of its
	 * speed, so the MLP intermediate is zero-padded to a multiple of this.
	 */
	public static final int INTERMEDIATE_MULTIPLE = 64;

	private final Precision precision;

	/** @param precision weights' and residual stream's dtypes (the weights must already be in its weights' dtype) */
	public VisionTower(VisionConfig config, VisionWeights weights, Precision precision) {
		this.config = config;
		this.precision = precision;
		this.weights = weights;
	}

	/**
	 * Pads the published MLP width at load ({@link #padIntermediate}) and reads the tower's tensors, each checked
	 * against the shape {@code config} implies.
	 */
	public static VisionWeights load(VisionConfig config, Weights weights) {
		padIntermediate(config, weights, INTERMEDIATE_MULTIPLE);
		return VisionWeights.read(TensorReader.of(weights), config,
				paddedWidth(config.intermediateSize(), INTERMEDIATE_MULTIPLE));
	}

	/** {@code width} rounded up to a multiple of {@code multiple}. */
	public static long paddedWidth(long width, int multiple) {
		return (width + multiple - 1) / multiple * multiple;
	}

	/**
	 * Pads each block's gated MLP intermediate with zeros up to a multiple of {@code multiple}: extra rows of
	 * {@code gate_proj} / {@code up_proj} (weights and biases) and extra columns of {@code down_proj}. A padded
	 * unit computes {@code silu(0) * 0 = 0} and meets a zero column, so the block's output is unchanged. Idempotent:
	 * a width already a multiple is left alone. Runs once at load, before the tower's {@link VisionWeights} are read.
	 */
	public static void padIntermediate(VisionConfig config, Weights weights, int multiple) {
		if (multiple < 1) {
			throw new IllegalArgumentException("padding multiple must be at least 1, got " + multiple);
		}
		for (int block = 0; block < config.depth(); block++) {
			String base = "visual.blocks." + block + ".mlp.";
			NDArray down = weights.get(base + "down_proj.weight"); // [hidden, intermediate]
			long width = down.getShape().get(1);
			long extra = (multiple - width % multiple) % multiple;
			if (extra == 0) {
				continue;
			}
			try (NDManager scope = weights.manager().newSubManager()) {
				for (String name : List.of("gate_proj", "up_proj")) {
					NDArray weight = weights.get(base + name + ".weight"); // [intermediate, hidden]
					weights.replace(base + name + ".weight", padded(scope, weight, 0, extra));
					NDArray bias = weights.get(base + name + ".bias");
					weights.replace(base + name + ".bias", padded(scope, bias, 0, extra));
				}
				weights.replace(base + "down_proj.weight", padded(scope, down, 1, extra));
			}
		}
	}

	/** {@code array} with {@code extra} zero slices appended along {@code axis}; a new array owned by {@code scope}. */
	private static NDArray padded(NDManager scope, NDArray array, int axis, long extra) {
		long[] shape = array.getShape().getShape();
		shape[axis] = extra;
		NDArray zeros = scope.zeros(new Shape(shape), array.getDataType(), array.getDevice());
		return NDArrays.concat(new NDList(array, zeros), axis);
	}

	public VisionConfig config() {
		return config;
	}

	public Precision precision() {
		return precision;
	}

	/**
	 * @param pixelValues {@code [N, 1176]} float32, rows in processor order, items concatenated
	 * @param grids the items' {@code grid_thw}, in order
	 * @return {@code [N / 4, out_hidden_size]} merged features in processor order, in the compute dtype, owned by
	 * {@code manager}
	 */
	public NDArray encode(NDManager manager, NDArray pixelValues, List<GridThw> grids) {
		try (Encoding encoding = begin(manager, pixelValues, grids)) {
			encoding.advance(Integer.MAX_VALUE);
			return encoding.result();
		}
	}

	/**
	 * An encode that runs a few blocks at a time ({@link Encoding#advance}), so a server can interleave it with
	 * the decode passes of running requests instead of stalling them for the whole tower.
	 * @param pixelValues {@code [N, 1176]} float32, rows in processor order, items concatenated
	 * @param grids the items' {@code grid_thw}, in order
	 */
	public Encoding begin(NDManager manager, NDArray pixelValues, List<GridThw> grids) {
		return begin(manager, pixelValues, grids, WINDOW_CHUNK_PATCHES);
	}

	/**
	 * As {@link #begin(NDManager, NDArray, List)}, a windowed block run in chunks of whole windows of about
	 * {@code windowChunkPatches} patches.
	 */
	public Encoding begin(NDManager manager, NDArray pixelValues, List<GridThw> grids, int windowChunkPatches) {
		int patches = grids.stream().mapToInt(GridThw::patches).sum();
		if (pixelValues.getShape().get(0) != patches || pixelValues.getShape().get(1) != config.patchRowWidth()) {
			throw new IllegalArgumentException("pixel values have shape " + pixelValues.getShape() + " but the grids "
					+ grids + " need [" + patches + ", " + config.patchRowWidth() + "]");
		}
		if (windowChunkPatches < 1) {
			throw new IllegalArgumentException("window chunks must hold at least 1 patch, got " + windowChunkPatches);
		}
		return new Encoding(manager, pixelValues, grids, patches, windowChunkPatches);
	}

	/** Runs of at most {@code maxRows} queries, each within one segment (image or temporal slice). */
	public static List<int[]> queryRuns(int[] cuSeqlens, int maxRows) {
		List<int[]> runs = new java.util.ArrayList<>();
		for (int s = 0; s + 1 < cuSeqlens.length; s++) {
			int from = cuSeqlens[s];
			int to = cuSeqlens[s + 1];
			int pieces = Math.max(1, (to - from + maxRows - 1) / maxRows);
			for (int i = 0; i < pieces; i++) {
				// Even runs: 4784 patches in 1024-row units are 5 runs of about 957, not four of 1024 and one of 688.
				int start = from + (int) ((long) (to - from) * i / pieces);
				int end = from + (int) ((long) (to - from) * (i + 1) / pieces);
				runs.add(new int[] { start, end, from, to });
			}
		}
		return List.copyOf(runs);
	}

	/**
	 * Patches per unit of a windowed block's work: windows never see each other, so a windowed block runs over
	 * groups of whole windows as separate units, each a step of its own beside running decodes. A 1280x720
	 * screenshot (4 784 patches) takes 5 units per windowed block instead of one; about 1 s each at the 3B widths
	 * on two cores, where a whole block stalled the decodes for about 5 s. A full-attention block (4 of 32), where
	 * every patch of an image attends to every other, runs as one unit for all queries, keys and values, then runs
	 * of as many queries through attention and the rest of the block.
	 */
	public static final int WINDOW_CHUNK_PATCHES = 1024;

	/**
	 * One encode in progress: its rotary tables, window batch and the hidden state between blocks live in a
	 * sub-manager of the request's, freed when the encode ends or is closed. Its unit of work ({@link #blocksLeft},
	 * {@link #advance}) is a full-attention block, or one chunk of whole windows of a windowed block
	 * ({@link #WINDOW_CHUNK_PATCHES}); a small image has one chunk per block, so a unit is a block.
	 */
	public final class Encoding implements VisionEncoding, AutoCloseable {

		private final NDManager owner;

		private final NDManager scope;

		private final WindowPartition partition;

		private final NDArray cos;

		private final NDArray sin;

		private final WindowBatch windows;

		private final FiniteCheck finite;

		private NDArray x;

		private int nextBlock;

		private NDArray result;

		// A windowed block in chunks: per chunk its patch rows [from, to), window batch and rotary tables.
		private final List<WindowChunk> chunks;

		// The chunks done of the current windowed block when it runs in chunks.
		private int nextChunk;

		// A large image's full-attention block in units: runs of queries {from, to, segment from, segment to}.
		private final List<int[]> queryRuns;

		// The current full-attention block while it runs in units; null between blocks.
		private BlockInUnits fullInUnits;

		// The outputs of the current windowed block's chunks so far; joined when its last chunk has run.
		private final NDList chunkOutputs = new NDList();

		private Encoding(NDManager manager, NDArray pixelValues, List<GridThw> grids, int patches,
				int windowChunkPatches) {
			this.owner = manager;
			this.partition = WindowPartition.of(grids, config.spatialMergeSize(), config.mergedWindowSide());
			int[] order = partition.patchOrder(config.mergeUnit());
			this.scope = manager.newSubManager();
			try {
				float[][] tables = VisionRotary.tables(PatchGrid.of(grids, config.spatialMergeSize()), config.headDim(), order);
				Shape tableShape = new Shape(patches, 1, config.headDim());
				this.cos = scope.create(tables[0], tableShape);
				this.sin = scope.create(tables[1], tableShape);
				this.windows = WindowBatch.of(scope, partition.cuWindowSeqlens());
				this.finite = new FiniteCheck(scope, "vision " + precision.describe());
				NDArray patchWeight = weights.patchEmbed();
				NDArray rows = pixelValues.toType(patchWeight.getDataType(), false).get(scope.create(toLongs(order)));
				this.x = precision.toResidual(Linear.of(patchWeight).applyPlain(rows)); // [N, hidden]
				x.attach(scope);
				this.chunks = WindowChunk.split(scope, partition.cuWindowSeqlens(), windowChunkPatches, cos, sin,
						windows);
				this.queryRuns = queryRuns(partition.cuSeqlens(), windowChunkPatches);
			}
			catch (RuntimeException e) {
				scope.close();
				throw e;
			}
		}

		/** Blocks still to run (the merger runs with the last one). */
		@Override
		public int blocksLeft() {
			int units = 0;
			for (int block = nextBlock; block < config.depth(); block++) {
				units += unitsOf(block);
			}
			return units - nextChunk - (fullInUnits == null ? 0 : fullInUnits.unitsDone());
		}

		private int unitsOf(int block) {
			if (config.isFullAttention(block)) {
				return queryRuns.size() > 1 ? BlockInUnits.unitsOf(queryRuns) : 1;
			}
			return chunks.size();
		}

		/**
		 * Runs up to {@code maxBlocks} more blocks, and the merger after the last.
		 * @return true once the features are ready ({@link #result()})
		 */
		@Override
		public boolean advance(int maxBlocks) {
			if (result != null) {
				return true;
			}
			for (int run = 0; run < maxBlocks && nextBlock < config.depth(); run++) {
				if (unitsOf(nextBlock) > 1) {
					if (config.isFullAttention(nextBlock)) {
						runQueries();
					}
					else {
						runChunk();
					}
					continue;
				}
				NDArray out;
				// Each block's temporaries die with its sub-manager; only its output survives.
				try (NDManager blockScope = scope.newSubManager()) {
					x.tempAttach(blockScope);
					out = block(nextBlock, x, cos, sin, partition, windows);
					out.attach(scope);
				}
				endBlock(out);
			}
			if (nextBlock < config.depth()) {
				return false;
			}
			NDArray merged = merge(x); // [N/4, out] in window order
			finite.record("vision merger (visual.merger)", merged);
			finite.verify();
			NDArray restored = merged.get(scope.create(toLongs(partition.inverseMergedOrder())));
			restored.attach(owner);
			result = restored;
			scope.close();
			return true;
		}

		/** The next chunk of whole windows of the current windowed block; the block ends with its last chunk. */
		private void runChunk() {
			WindowChunk chunk = chunks.get(nextChunk);
			try (NDManager chunkScope = scope.newSubManager()) {
				NDArray rows = x.get("{}:{}", chunk.from(), chunk.to());
				rows.attach(chunkScope);
				NDArray out = block(nextBlock, rows, chunk.cos(), chunk.sin(), partition, chunk.windows());
				out.attach(scope);
				chunkOutputs.add(out);
			}
			nextChunk++;
			if (nextChunk == chunks.size()) {
				NDArray out = NDArrays.concat(chunkOutputs, 0);
				out.attach(scope);
				chunkOutputs.close();
				chunkOutputs.clear();
				nextChunk = 0;
				endBlock(out);
			}
		}

		/** The next unit of the current full-attention block ({@link BlockInUnits}); the block ends with its last. */
		private void runQueries() {
			if (fullInUnits == null) {
				VisionWeights.Block base = weights.blocks().get(nextBlock);
				fullInUnits = new BlockInUnits(scope, x, queryRuns, attentionScale(), SCORE_BUDGET_ELEMENTS,
						input -> queriesKeysValues(base, input, cos, sin),
						(rows, context) -> afterAttention(base, rows, context));
			}
			NDArray out = fullInUnits.step();
			if (out != null) {
				fullInUnits = null;
				endBlock(out);
			}
		}

		private void endBlock(NDArray out) {
			finite.record("vision block " + nextBlock + " (visual.blocks." + nextBlock + ")", out);
			x.close();
			x = out;
			nextBlock++;
		}

		/** {@code [N / 4, out_hidden_size]} merged features in processor order, owned by the request's manager. */
		public NDArray result() {
			return VisionEncoding.finished(result, blocksLeft());
		}

		@Override
		public void close() {
			scope.close();
		}

	}

	private NDArray block(int index, NDArray x, NDArray cos, NDArray sin, WindowPartition partition,
			WindowBatch windows) {
		VisionWeights.Block base = weights.blocks().get(index);
		NDArray[] qkv = queriesKeysValues(base, x, cos, sin);
		float scale = attentionScale();
		NDArray context = config.isFullAttention(index) ? fullAttention(qkv[0], qkv[1], qkv[2], partition.cuSeqlens(), scale)
				: windows.attend(qkv[0], qkv[1], qkv[2], scale); // [N, hidden]
		return afterAttention(base, x, context);
	}

	private float attentionScale() {
		return (float) (1 / Math.sqrt(config.headDim()));
	}

	/** A block's first half up to attention: norm1, the qkv projection, rotary on q and k. */
	private NDArray[] queriesKeysValues(VisionWeights.Block block, NDArray x, NDArray cos, NDArray sin) {
		NDArray normed = precision.toWeights(RmsNorm.apply(x, block.norm1(), EPS));
		long n = normed.getShape().get(0);
		NDArray qkv = block.qkv().applyPlain(normed).reshape(n, 3, config.numHeads(), config.headDim());
		return Rotary.visionQkv(qkv, cos, sin);
	}

	/** A block's second half, row by row: output projection, residual, norm2, gated MLP, residual. */
	private NDArray afterAttention(VisionWeights.Block block, NDArray x, NDArray context) {
		NDArray h = x.add(precision.toResidual(block.proj().applyPlain(context)));
		NDArray normed2 = precision.toWeights(RmsNorm.apply(h, block.norm2(), EPS));
		// Where Qwen2.5-VL's last blocks overflow float16 (llama.cpp #17534): GatedMlp under a mixed precision.
		return h.add(block.mlp().apply(normed2, precision, VisionTower::linear));
	}

	/** Attention within each image / temporal slice; queries chunked so scores stay under the budget. */
	private NDArray fullAttention(NDArray q, NDArray k, NDArray v, int[] cuSeqlens, float scale) {
		return SegmentAttention.attend(q, k, v, cuSeqlens, scale, SCORE_BUDGET_ELEMENTS);
	}

	/** Merger (spec §6.5): RMSNorm, 4 patch vectors side by side, Linear, exact GELU, Linear. */
	private NDArray merge(NDArray x) {
		VisionWeights.Merger merger = weights.merger();
		NDArray normed = precision.toWeights(RmsNorm.apply(x, merger.norm(), EPS));
		NDArray grouped = normed.reshape(-1, (long) config.hiddenSize() * config.mergeUnit());
		return merger.fc2().applyPlain(Activation.gelu(merger.fc1().applyPlain(grouped)));
	}

	/** The tower's linear form ({@link Linear#applyPlain}) as the mixed-precision MLP takes it. */
	static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
		return new Linear(weight, bias).applyPlain(x);
	}

	static long[] toLongs(int[] values) {
		long[] out = new long[values.length];
		for (int i = 0; i < values.length; i++) {
			out[i] = values[i];
		}
		return out;
	}

}
