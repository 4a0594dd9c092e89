package dev.sightline.vision.prefix;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.preprocess.ProcessedImageMemo;

/**
 * Keys and values of prompt prefixes already computed, in blocks of {@link #BLOCK_TOKENS} tokens keyed by a hash
 * chain ({@link PromptBlocks}), so a request that starts like an earlier one prefills only the rest (as vLLM's
 * automatic prefix caching). Blocks are copied into a request's own {@link KvBlocks} and never written afterwards,
 * so sequences share them without copy-on-write. Least recently used blocks go first when the budget is full; a
 * hit touches its chain from the last block back to the first, so a chain is evicted from its tail and the blocks
 * that remain are still reachable from the first one. Safe for concurrent callers.
 */
public final class PrefixCache implements AutoCloseable {

	/**
	 * Tokens per block, vLLM's default. Smaller blocks share more of a prefix that diverges mid-block; larger ones
	 * copy in fewer, larger pieces. 16 rather than 32 so that requests sharing only a short system prompt (Qwen's
	 * default one and the user turn's opening are 15 tokens) share it. 16 tokens of 3B (36 layers, 2 KV heads of 128)
	 * are 1.2 MB in float32.
	 */
	public static final int BLOCK_TOKENS = 16;

	private record Block(NDArray kv, long bytes) { // kv: [layers, 2 (keys, values), kvHeads, BLOCK_TOKENS, headDim]
	}

	/**
	 * The share of the budget the processed-image memo may hold in host memory on top of the blocks: a quarter, 256
	 * MB of the default 1024 (eleven 1280×720 screenshots).
	 */
	static final int IMAGE_MEMO_DIVISOR = 4;

	/**
	 * The share of the budget vision features may take (an eighth: 128 MB of the default 1024, thirteen 1280×720
	 * screenshots of the 3B model); they count against the budget with the blocks.
	 */
	static final int FEATURES_DIVISOR = 8;

	private record Features(NDArray rows, long bytes) { // rows: [image tokens, hidden], as the vision tower gave them
	}

	private final NDManager manager;

	private final Map<VisionDigest, Features> features = new LinkedHashMap<>(16, 0.75f, true);

	private long featureBytes;

	private long reusedImages;

	private final ProcessedImageMemo images = new ProcessedImageMemo(0);

	// The patch digest of each image the memo handed out, so a repeated image is not hashed again either (weak:
	// an image the memo dropped and no request holds takes its digest with it).
	private final Map<ProcessedImage, VisionDigest> digests = new WeakHashMap<>();

	private final Map<BlockKey, Block> blocks = new LinkedHashMap<>(64, 0.75f, true);

	private long budgetBytes;

	private long bytes;

	private long lookupTokens;

	private long hitTokens;

	private long evictedBlocks;

	/**
	 * @param manager owns the blocks (on the model's device); closed with this cache
	 * @param budgetBytes the most the blocks may hold; 0 turns the cache off
	 */
	public PrefixCache(NDManager manager, long budgetBytes) {
		this.manager = manager;
		setBudgetBytes(budgetBytes);
	}

	/** Megabytes (2^20 bytes) as the {@code --prefix-cache-mb} settings give them. */
	public static long megabytes(long mb) {
		if (mb < 0) {
			throw new IllegalArgumentException("the prefix cache budget must be at least 0 MB (0 = off), got " + mb);
		}
		return mb << 20;
	}

	public synchronized boolean enabled() {
		return budgetBytes > 0;
	}

	/** Changes the budget, evicting down to it at once; 0 empties and turns off the cache. */
	public synchronized void setBudgetBytes(long value) {
		if (value < 0) {
			throw new IllegalArgumentException("the prefix cache budget must be at least 0 bytes, got " + value);
		}
		budgetBytes = value;
		evictFeaturesTo(value / FEATURES_DIVISOR);
		evictTo(budgetBytes);
		images.setBudgetBytes(value / IMAGE_MEMO_DIVISOR);
		if (value == 0) {
			digests.clear();
		}
	}

	/**
	 * Images processed from encoded bytes seen before, under a quarter of this cache's budget (off with it): with
	 * the keys and values of an agent's history screenshots cached, decoding and resizing them again was most of
	 * what is left of their cost.
	 */
	public ProcessedImageMemo images() {
		return images;
	}

	/**
	 * A copy, owned by {@code scope}, of the vision features an image with this digest had when it was last
	 * encoded, or null: the same picture at another place in a prompt (where the blocks before it differ, so its
	 * keys and values cannot be reused) skips the vision tower. Counted in {@link PrefixCacheStats#reusedImages()}.
	 */
	public synchronized NDArray features(VisionDigest digest, NDManager scope) {
		if (budgetBytes == 0) {
			return null;
		}
		Features known = features.get(digest);
		if (known == null) {
			return null;
		}
		reusedImages++;
		NDArray copy = known.rows().duplicate();
		copy.attach(scope);
		return copy;
	}

	/**
	 * Keeps a copy of one image's {@code [tokens, hidden]} vision features, the least recently used going first
	 * beyond an eighth of the budget; they count against the budget with the blocks.
	 */
	public synchronized void storeFeatures(VisionDigest digest, NDArray rows) {
		if (budgetBytes == 0 || features.containsKey(digest)) {
			return;
		}
		long size = rows.getShape().size() * rows.getDataType().getNumOfBytes();
		if (size > budgetBytes / FEATURES_DIVISOR) {
			return;
		}
		evictFeaturesTo(budgetBytes / FEATURES_DIVISOR - size);
		evictTo(budgetBytes - size);
		NDArray copy = rows.duplicate();
		copy.attach(manager);
		features.put(digest, new Features(copy, size));
		featureBytes += size;
	}

	private void evictFeaturesTo(long limit) {
		Iterator<Features> eldest = features.values().iterator();
		while (featureBytes > limit && eldest.hasNext()) {
			Features old = eldest.next();
			eldest.remove();
			featureBytes -= old.bytes();
			old.rows().close();
		}
	}

	/** The image's {@link VisionDigest}, hashed once per image instance the memo handed out. */
	public synchronized VisionDigest digest(ProcessedImage image) {
		return digests.computeIfAbsent(image,
				i -> VisionDigest.of(i.pixelValues(), 0, i.pixelValues().length, i.grid(), 0));
	}

	/**
	 * Copies the longest cached run of {@code keys} from the first one on, at most {@code maxBlocks} blocks, into
	 * the empty {@code cache} and advances it.
	 * @param promptTokens the prompt's length, for the hit rate
	 * @param scope owns the temporaries of the copy
	 * @return tokens restored (a multiple of {@link #BLOCK_TOKENS})
	 */
	public synchronized int restore(List<BlockKey> keys, int maxBlocks, int promptTokens, KvBlocks cache,
			NDManager scope) {
		if (budgetBytes == 0) {
			return 0;
		}
		lookupTokens += promptTokens;
		List<Block> hits = new ArrayList<>();
		for (BlockKey key : keys.subList(0, Math.min(maxBlocks, keys.size()))) {
			Block block = blocks.get(key);
			if (block == null) {
				break;
			}
			hits.add(block);
		}
		if (hits.isEmpty()) {
			return 0;
		}
		touchFromTail(keys, hits.size());
		NDList parts = new NDList();
		for (Block block : hits) {
			parts.add(block.kv());
		}
		try (NDManager copy = scope.newSubManager()) {
			NDArray run = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 3);
			if (run != parts.get(0)) {
				run.attach(copy);
			}
			cache.restore(run, copy);
		}
		int tokens = hits.size() * BLOCK_TOKENS;
		hitTokens += tokens;
		return tokens;
	}

	/**
	 * Keeps the blocks of {@code keys} that are not cached yet, copied from the first {@code keys.size()} blocks of
	 * {@code cache} (which must hold that many tokens), evicting the least recently used to stay in budget.
	 */
	public synchronized void store(List<BlockKey> keys, KvBlocks cache) {
		if (budgetBytes == 0 || keys.isEmpty()) {
			return;
		}
		int first = 0;
		while (first < keys.size() && blocks.get(keys.get(first)) != null) {
			first++;
		}
		if (first == keys.size()) {
			touchFromTail(keys, keys.size());
			return;
		}
		try (NDManager copy = manager.newSubManager()) {
			// One gather for the whole missing run, then a copy per block so no block holds the others alive.
			NDArray run = cache.copy(copy, first * BLOCK_TOKENS, keys.size() * BLOCK_TOKENS);
			for (int i = first; i < keys.size(); i++) {
				if (blocks.containsKey(keys.get(i))) {
					continue;
				}
				NDArray kv = run.get(":, :, :, {}:{}", (i - first) * BLOCK_TOKENS, (i - first + 1) * BLOCK_TOKENS)
					.duplicate();
				long size = kv.getShape().size() * kv.getDataType().getNumOfBytes();
				if (size > budgetBytes) {
					kv.close();
					break;
				}
				evictTo(budgetBytes - size);
				kv.attach(manager);
				blocks.put(keys.get(i), new Block(kv, size));
				bytes += size;
			}
		}
		touchFromTail(keys, keys.size());
	}

	/** Marks the first {@code count} blocks of a chain used, the first one last, so eviction takes the tail first. */
	private void touchFromTail(List<BlockKey> keys, int count) {
		for (int i = count - 1; i >= 0; i--) {
			blocks.get(keys.get(i));
		}
	}

	/** Evicts blocks until they and the features fit in {@code limit}. */
	private void evictTo(long limit) {
		Iterator<Block> eldest = blocks.values().iterator();
		while (bytes + featureBytes > limit && eldest.hasNext()) {
			Block block = eldest.next();
			eldest.remove();
			bytes -= block.bytes();
			block.kv().close();
			evictedBlocks++;
		}
	}

	public synchronized PrefixCacheStats stats() {
		return new PrefixCacheStats(lookupTokens, hitTokens, evictedBlocks, blocks.size(), bytes, budgetBytes,
				reusedImages, featureBytes, images.hits());
	}

	@Override
	public synchronized void close() {
		blocks.clear();
		bytes = 0;
		features.clear();
		featureBytes = 0;
		manager.close();
	}

}
