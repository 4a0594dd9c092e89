package dev.sightline.vision.prefix;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.qwen.text.KvCache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Block keys, restore, LRU eviction under the budget and the off switch, on small CPU caches. */
class PrefixCacheTest {

	private static final int B = PrefixCache.BLOCK_TOKENS;

	// 2 layers, 1 KV head of 4: one block is 2 * 2 * 32 * 4 floats = 2 KiB.
	private static final long BLOCK_BYTES = 2L * 2 * B * 4 * 4;

	private NDManager manager;

	@BeforeEach
	void open() {
		manager = NDManager.newBaseManager("PyTorch");
	}

	@AfterEach
	void close() {
		manager.close();
	}

	private KvCache filled(int tokens, float seed) {
		KvCache cache = new KvCache(manager, 2, 1, 4, tokens + B, DataType.FLOAT32);
		for (int layer = 0; layer < 2; layer++) {
			NDArray k = manager.arange(0f, tokens * 4f).reshape(1, tokens, 4).add(seed + layer);
			NDArray v = k.neg();
			cache.append(layer, k, v);
		}
		cache.advance(tokens);
		return cache;
	}

	private static List<BlockKey> keys(long[] ids) {
		return new PromptBlocks(B, 1001, 1002, List.of(), List.of(), List.of(), List.of()).keys(ids, ids.length);
	}

	private static long[] ids(int count, long offset) {
		long[] ids = new long[count];
		for (int i = 0; i < count; i++) {
			ids[i] = i + offset;
		}
		return ids;
	}

	@Test
	void restoresTheLongestStoredPrefixBlockForBlock() {
		PrefixCache prefixes = new PrefixCache(manager.newSubManager(), 1 << 20);
		long[] stored = ids(3 * B + 5, 0);
		KvCache source = filled(stored.length, 0);
		prefixes.store(keys(stored), source);
		long[] asked = stored.clone();
		asked[2 * B + 1] = 999; // diverges in the third block
		KvCache target = new KvCache(manager, 2, 1, 4, asked.length, DataType.FLOAT32);
		int restored = prefixes.restore(keys(asked), 10, asked.length, target, manager);
		assertThat(restored).isEqualTo(2 * B);
		assertThat(target.length()).isEqualTo(2 * B);
		assertThat(target.copy(manager, 0, 2 * B).toFloatArray()).containsExactly(source.copy(manager, 0, 2 * B)
			.toFloatArray());
		assertThat(prefixes.stats()).isEqualTo(new PrefixCacheStats(asked.length, 2 * B, 0, 3, 3 * BLOCK_BYTES,
				1 << 20, 0, 0, 0));
	}

	@Test
	void keysChainSoAnEqualBlockAfterADifferentOneIsNotAHit() {
		long[] a = ids(2 * B, 0);
		long[] b = a.clone();
		b[0] = 7;
		assertThat(keys(a).get(1)).isNotEqualTo(keys(b).get(1));
		assertThat(keys(a)).isEqualTo(keys(a.clone()));
		assertThat(keys(ids(B - 1, 0))).isEmpty();
	}

	@Test
	void evictsTheLeastRecentlyUsedChainFromItsTailToStayInBudget() {
		PrefixCache prefixes = new PrefixCache(manager.newSubManager(), 4 * BLOCK_BYTES);
		long[] first = ids(2 * B, 0);
		long[] second = ids(2 * B, 5000);
		prefixes.store(keys(first), filled(2 * B, 0));
		prefixes.store(keys(second), filled(2 * B, 1));
		// Using the first chain makes the second the least recently used.
		prefixes.restore(keys(first), 2, 2 * B + 1, new KvCache(manager, 2, 1, 4, 2 * B + 1, DataType.FLOAT32),
				manager);
		long[] third = ids(B, 9000);
		prefixes.store(keys(third), filled(B, 2));
		assertThat(prefixes.stats().evictedBlocks()).isEqualTo(1);
		assertThat(prefixes.stats().bytes()).isEqualTo(4 * BLOCK_BYTES);
		// The second chain lost its tail: its first block is still a hit.
		int restored = prefixes.restore(keys(second), 2, 2 * B + 1,
				new KvCache(manager, 2, 1, 4, 2 * B + 1, DataType.FLOAT32), manager);
		assertThat(restored).isEqualTo(B);
	}

	@Test
	void aZeroBudgetIsOffAndEmptiesTheCache() {
		PrefixCache prefixes = new PrefixCache(manager.newSubManager(), 1 << 20);
		long[] stored = ids(2 * B, 0);
		prefixes.store(keys(stored), filled(2 * B, 0));
		prefixes.setBudgetBytes(0);
		assertThat(prefixes.enabled()).isFalse();
		assertThat(prefixes.stats().blocks()).isZero();
		prefixes.store(keys(stored), filled(2 * B, 0));
		KvCache target = new KvCache(manager, 2, 1, 4, 2 * B + 1, DataType.FLOAT32);
		assertThat(prefixes.restore(keys(stored), 2, 2 * B + 1, target, manager)).isZero();
		assertThat(target.length()).isZero();
		assertThatThrownBy(() -> PrefixCache.megabytes(-1)).hasMessageContaining("at least 0 MB (0 = off), got -1");
	}

	@Test
	void placeholdersAreKeyedByTheirImageNotTheirTokenId() {
		float[] pixels = new float[2 * 16 * 4];
		VisionDigest one = VisionDigest.of(pixels, 0, 64, new dev.sightline.vision.preprocess.GridThw(1, 4, 4), 0);
		VisionDigest two = VisionDigest.of(pixels, 64, 64, new dev.sightline.vision.preprocess.GridThw(1, 4, 4), 0);
		VisionDigest wider = VisionDigest.of(pixels, 0, 64, new dev.sightline.vision.preprocess.GridThw(1, 2, 8), 0);
		assertThat(one).isEqualTo(two);
		assertThat(one).isNotEqualTo(wider);
		pixels[70] = 1;
		VisionDigest changed = VisionDigest.of(pixels, 64, 64, new dev.sightline.vision.preprocess.GridThw(1, 4, 4), 0);
		assertThat(changed).isNotEqualTo(one);
		long[] ids = new long[B];
		java.util.Arrays.fill(ids, 4, 8, 1001);
		List<BlockKey> withOne = new PromptBlocks(B, 1001, 1002, List.of(one), List.of(4), List.of(), List.of())
			.keys(ids, B);
		List<BlockKey> withChanged = new PromptBlocks(B, 1001, 1002, List.of(changed), List.of(4), List.of(),
				List.of())
			.keys(ids, B);
		assertThat(withOne).isNotEqualTo(withChanged);
	}

}
