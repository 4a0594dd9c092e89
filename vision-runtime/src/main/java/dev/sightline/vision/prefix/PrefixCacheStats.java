package dev.sightline.vision.prefix;

/**
 * What the prefix cache did so far.
 *
 * @param lookupTokens prompt tokens of every request that looked up a prefix
 * @param hitTokens of those, tokens whose keys and values came from the cache instead of a prefill
 * @param evictedBlocks blocks dropped to stay within the budget
 * @param blocks blocks held now
 * @param bytes bytes those blocks hold
 * @param budgetBytes the most they and the vision features may hold (0: the cache is off)
 * @param reusedImages images whose vision features came from the cache instead of the vision tower
 * @param featureBytes bytes of vision features held
 * @param memoizedImages encoded images answered by the processed-image memo instead of decoded and resized again
 */
public record PrefixCacheStats(long lookupTokens, long hitTokens, long evictedBlocks, int blocks, long bytes,
		long budgetBytes, long reusedImages, long featureBytes, long memoizedImages) {
}
