package dev.sightline.vision.qwen3.vision;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.nn.Projection;
import dev.sightline.vision.qwen.nn.Rotary;
import dev.sightline.vision.qwen.vision.BlockInUnits;
import dev.sightline.vision.qwen.vision.SegmentAttention;
import dev.sightline.vision.qwen.vision.VisionEncoding;
import dev.sightline.vision.qwen.vision.VisionTower;
import dev.sightline.vision.qwen.nn.Linear;
import dev.sightline.vision.qwen.nn.PatchGrid;
import dev.sightline.vision.qwen.nn.VisionRotary;
import dev.sightline.vision.qwen3.config.Qwen3VisionConfig;
import dev.sightline.vision.weights.FiniteCheck;
import dev.sightline.vision.weights.Precision;

/**
 * The Qwen3-VL vision tower (QWEN3_VL spec §6): patch embedding with bias, the learned position table resampled to
 * each grid, blocks of LayerNorm + full attention within each image or temporal patch (2-D rotary) + GELU-tanh MLP,
 * DeepStack mergers after the blocks {@code deepstack_visual_indexes} names, and the final merger. Unlike
 * Qwen2.5-VL there are no windows and no token reordering: everything stays in processor order. It runs under the
 * runtime's per-part dtype policy like the Qwen2.5-VL tower: under a mixed {@link Precision} a float32 residual
 * stream and LayerNorms, half matmuls, the MLP's activation wide and row-scaled into its second projection, and
 * every block's and merger's output checked for inf/NaN, the first bad one named ({@link FiniteCheck}).
 */
public final class Qwen3VisionTower {

	/** Float32 elements one chunk of attention scores may hold (256 MiB), as in the Qwen2.5-VL tower. */
	static final long SCORE_BUDGET_ELEMENTS = 64L << 20;

	private final Qwen3VisionConfig config;

	private final Qwen3VisionWeights weights;

	private final Precision precision;

	/** @param precision weights' and residual stream's dtypes (the weights must already be in its weights' dtype) */
	public Qwen3VisionTower(Qwen3VisionConfig config, Qwen3VisionWeights weights, Precision precision) {
		this.config = config;
		this.precision = precision;
		this.weights = weights;
	}

	public Qwen3VisionConfig config() {
		return config;
	}

	public Precision precision() {
		return precision;
	}

	/** {@code [N, hidden]} interpolated learned position embeddings in processor order (spec §6.2). */
	public NDArray positionEmbeddings(NDManager manager, List<GridThw> grids) {
		PatchGrid layout = PatchGrid.of(grids, config.spatialMergeSize());
		return positionEmbeddings(manager, grids, layout);
	}

	private NDArray positionEmbeddings(NDManager manager, List<GridThw> grids, PatchGrid layout) {
		PositionInterpolation taps = PositionInterpolation.of(grids, layout, config.positionTableSide());
		NDArray table = weights.positionTable(); // [N*N, hidden]
		int patches = layout.patches();
		NDArray gathered = table.get(manager.create(taps.indices())).reshape(patches, 4, config.hiddenSize());
		gathered.attach(manager);
		NDArray w = manager.create(taps.weights(), new Shape(patches, 4, 1)).toType(table.getDataType(), false);
		NDArray weighted = gathered.mul(w);
		// The four taps are added in upstream's order: (y0,x0) + (y0,x1) + (y1,x0) + (y1,x1).
		return weighted.get(":, 0")
			.add(weighted.get(":, 1"))
			.add(weighted.get(":, 2"))
			.add(weighted.get(":, 3"));
	}

	/**
	 * @param pixelValues {@code [N, 1536]} float32 patch rows in processor order, items concatenated
	 * @param grids the items' {@code grid_thw}, in order
	 * @return merged features and DeepStack features in the compute dtype, owned by {@code manager}
	 */
	public VisionFeatures encode(NDManager manager, NDArray pixelValues, List<GridThw> grids) {
		try (Encoding encoding = begin(manager, pixelValues, grids)) {
			encoding.advance(Integer.MAX_VALUE);
			return encoding.result();
		}
	}

	/**
	 * An encode that runs a few blocks at a time ({@link Encoding#advance}), so the model server can interleave it
	 * with the decode passes of running requests, as the Qwen2.5-VL tower's {@code VisionTower.Encoding}.
	 * @param pixelValues {@code [N, 1536]} float32 patch rows in processor order, items concatenated
	 * @param grids the items' {@code grid_thw}, in order
	 */
	public Encoding begin(NDManager manager, NDArray pixelValues, List<GridThw> grids) {
		return begin(manager, pixelValues, grids, QUERY_RUN_PATCHES);
	}

	/**
	 * Patches per unit of a large image's block beside running decodes, as the Qwen2.5-VL tower's full-attention
	 * blocks: every block here attends over the whole image, so a block runs as one unit for all queries, keys and
	 * values, then runs of about this many queries through attention and the rest of the block (a 1280×704 screenshot,
	 * 3 520 patches: 5 units per block instead of one).
	 */
	public static final int QUERY_RUN_PATCHES = 1024;

	/** {@link #begin(NDManager, NDArray, List)} with blocks of images over {@code queryRunPatches} split in units. */
	public Encoding begin(NDManager manager, NDArray pixelValues, List<GridThw> grids, int queryRunPatches) {
		if (queryRunPatches < 1) {
			throw new IllegalArgumentException("query runs need at least 1 patch, got " + queryRunPatches);
		}
		int patches = grids.stream().mapToInt(GridThw::patches).sum();
		if (pixelValues.getShape().get(0) != patches || pixelValues.getShape().get(1) != config.patchRowWidth()) {
			throw new IllegalArgumentException("pixel values have shape " + pixelValues.getShape() + " but the grids "
					+ grids + " need [" + patches + ", " + config.patchRowWidth() + "]");
		}
		for (GridThw grid : grids) {
			if (grid.h() % config.spatialMergeSize() != 0 || grid.w() % config.spatialMergeSize() != 0) {
				throw new IllegalArgumentException("grid " + grid + " is not a multiple of the merge size "
						+ config.spatialMergeSize());
			}
		}
		return new Encoding(manager, pixelValues, grids, patches, queryRunPatches);
	}

	/**
	 * One encode in progress: its rotary tables and the hidden state between blocks live in a sub-manager of the
	 * request's, freed when the encode ends or is closed; DeepStack features go to the request's manager as their
	 * blocks finish.
	 */
	public final class Encoding implements VisionEncoding, AutoCloseable {

		private final NDManager owner;

		private final NDManager scope;

		private final int[] cuSeqlens;

		private final NDArray cos;

		private final NDArray sin;

		private final FiniteCheck finite;

		private final List<NDArray> deepstack;

		private NDArray x;

		private int nextBlock;

		private VisionFeatures result;

		// A large image's blocks in units: runs of queries {from, to, segment from, segment to}.
		private final List<int[]> queryRuns;

		// The current block while it runs in units; null between blocks.
		private BlockInUnits inUnits;

		private Encoding(NDManager manager, NDArray pixelValues, List<GridThw> grids, int patches,
				int queryRunPatches) {
			this.owner = manager;
			PatchGrid layout = PatchGrid.of(grids, config.spatialMergeSize());
			this.cuSeqlens = layout.cuSeqlens();
			this.queryRuns = VisionTower.queryRuns(cuSeqlens, queryRunPatches);
			this.scope = manager.newSubManager();
			try {
				this.finite = new FiniteCheck(scope, "vision " + precision.describe());
				float[][] tables = VisionRotary.tables(layout, config.headDim(), VisionRotary.identity(patches));
				Shape tableShape = new Shape(patches, 1, config.headDim());
				this.cos = scope.create(tables[0], tableShape);
				this.sin = scope.create(tables[1], tableShape);
				// Conv3d with stride = kernel is a Linear over the flattened (c, t, y, x) patch (spec §6.1).
				Linear patchEmbed = weights.patchEmbed();
				NDArray rows = pixelValues.toType(patchEmbed.weight().getDataType(), false);
				NDArray embedded = precision.toResidual(patchEmbed.apply(rows)); // [N, hidden]
				this.x = embedded.add(precision.toResidual(positionEmbeddings(scope, grids, layout)));
				x.attach(scope);
				this.deepstack = new ArrayList<>();
				for (int k = 0; k < config.deepstackVisualIndexes().length; k++) {
					deepstack.add(null);
				}
			}
			catch (RuntimeException e) {
				scope.close();
				throw e;
			}
		}

		/** Blocks still to run (the final merger runs with the last one). */
		@Override
		public int blocksLeft() {
			return (config.depth() - nextBlock) * unitsPerBlock() - (inUnits == null ? 0 : inUnits.unitsDone());
		}

		/** One unit per block unless an image is larger than a query run: then 1 + its runs. */
		private int unitsPerBlock() {
			return queryRuns.size() > cuSeqlens.length - 1 ? BlockInUnits.unitsOf(queryRuns) : 1;
		}

		/**
		 * Runs up to {@code maxBlocks} more blocks (with the DeepStack mergers after the blocks they follow), and
		 * the final merger after the last.
		 * @return true once the features are ready ({@link #result()})
		 */
		@Override
		public boolean advance(int maxBlocks) {
			if (result != null) {
				return true;
			}
			for (int run = 0; run < maxBlocks && nextBlock < config.depth(); run++) {
				if (unitsPerBlock() > 1) {
					runUnit();
					continue;
				}
				NDArray out;
				// Each block's temporaries die with its sub-manager; only its output survives.
				try (NDManager blockScope = scope.newSubManager()) {
					x.tempAttach(blockScope);
					out = block(nextBlock, x, cos, sin, cuSeqlens);
					out.attach(scope);
				}
				endBlock(out);
			}
			if (nextBlock < config.depth()) {
				return false;
			}
			NDArray embeds = merge(weights.merger(), x, false);
			finite.record("vision merger (visual.merger)", embeds);
			finite.verify();
			embeds.attach(owner);
			result = new VisionFeatures(embeds, deepstack);
			scope.close();
			return true;
		}

		/** The next unit of the current block ({@link BlockInUnits}); the block ends with its last unit. */
		private void runUnit() {
			if (inUnits == null) {
				Qwen3VisionWeights.Block block = weights.blocks().get(nextBlock);
				inUnits = new BlockInUnits(scope, x, queryRuns, attentionScale(), SCORE_BUDGET_ELEMENTS,
						input -> queriesKeysValues(block, precision.toWeights(block.norm1().apply(input)), cos, sin),
						(rows, context) -> afterAttention(block, rows, context));
			}
			NDArray out = inUnits.step();
			if (out != null) {
				inUnits = null;
				endBlock(out);
			}
		}

		/** A block's output replaces the hidden state; the DeepStack mergers that follow it run. */
		private void endBlock(NDArray out) {
			int block = nextBlock;
			int[] deepstackBlocks = config.deepstackVisualIndexes();
			finite.record("vision block " + block + " (visual.blocks." + block + ")", out);
			x.close();
			x = out;
			nextBlock++;
			for (int k = 0; k < deepstackBlocks.length; k++) {
				if (deepstackBlocks[k] == block) {
					NDArray features = merge(weights.deepstackMergers().get(k), x, true);
					finite.record("vision DeepStack merger " + k + " (visual.deepstack_merger_list." + k + ")",
							features);
					features.attach(owner);
					deepstack.set(k, features);
				}
			}
		}

		/** Merged and DeepStack features in processor order, owned by the request's manager. */
		public VisionFeatures result() {
			return VisionEncoding.finished(result, blocksLeft());
		}

		@Override
		public void close() {
			scope.close();
		}

	}

	private NDArray block(int index, NDArray x, NDArray cos, NDArray sin, int[] cuSeqlens) {
		Qwen3VisionWeights.Block block = weights.blocks().get(index);
		NDArray normed = precision.toWeights(block.norm1().apply(x));
		NDArray[] qkv = queriesKeysValues(block, normed, cos, sin);
		NDArray context = SegmentAttention.attend(qkv[0], qkv[1], qkv[2], cuSeqlens, attentionScale(),
				SCORE_BUDGET_ELEMENTS);
		return afterAttention(block, x, context);
	}

	private float attentionScale() {
		return (float) (1 / Math.sqrt(config.headDim()));
	}

	/**
	 * A block's second half, row by row: the attention's output projection and residual, then norm2, the MLP and
	 * its residual.
	 */
	private NDArray afterAttention(Qwen3VisionWeights.Block block, NDArray x, NDArray context) {
		NDArray h = x.add(precision.toResidual(block.proj().apply(context)));
		NDArray normed2 = precision.toWeights(block.norm2().apply(h));
		// The activation is formed wide and row-scaled into the second projection under a mixed precision, as in
		// the Qwen2.5-VL tower's MLP; as the reference otherwise.
		NDArray hidden = geluTanh(precision.toResidual(block.fc1().apply(normed2)));
		return h.add(precision.downProjection(hidden, block.fc2().weight(), block.fc2().bias(), Projection::apply));
	}

	/** A block's queries, keys and values of its normed rows, rotary applied to the queries and keys. */
	private NDArray[] queriesKeysValues(Qwen3VisionWeights.Block block, NDArray x, NDArray cos, NDArray sin) {
		long n = x.getShape().get(0);
		NDArray qkv = block.qkv().apply(x).reshape(n, 3, config.numHeads(), config.headDim());
		return Rotary.visionQkv(qkv, cos, sin);
	}

	/**
	 * A merger (spec §6.5): the final one normalises each patch ({@code Hv}) before the 2x2 concatenation, the
	 * DeepStack ones the concatenated block ({@code 4Hv}) after it; both then Linear, exact GELU, Linear.
	 */
	private NDArray merge(Qwen3VisionWeights.Merger merger, NDArray x, boolean normaliseAfterConcat) {
		long merged = (long) config.hiddenSize() * config.mergeUnit();
		NDArray grouped = precision.toWeights(normaliseAfterConcat ? merger.norm().apply(x.reshape(-1, merged))
				: merger.norm().apply(x).reshape(-1, merged));
		return merger.fc2().apply(Activation.gelu(merger.fc1().apply(grouped)));
	}

	/** {@code gelu_pytorch_tanh}: {@code 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))} (spec §6.4). */
	static NDArray geluTanh(NDArray z) {
		NDArray inner = z.add(z.pow(3).mul(0.044715f)).mul((float) Math.sqrt(2 / Math.PI));
		return z.mul(0.5f).mul(inner.tanh().add(1f));
	}

}
