package dev.sightline.tools.testing;

import java.util.Objects;

import dev.sightline.tools.profile.ModelProfile;

/**
 * Options of a {@link SightlineAi}.
 *
 * @param cache where located elements are remembered; default {@link LocationCache#none()}
 * @param cacheMode how the cache is used; default {@link CacheMode#READ_WRITE}
 * @param maxNewTokens the longest model answer, in tokens; default 512
 * @param pollIntervalMs pause between checks of {@link SightlineAi#waitFor}; default 500 ms
 * @param recordScreenshots whether each step keeps a screenshot for the report; default true
 * @param profile the model family's profile id ({@code qwen2.5-vl}, {@code qwen3-vl}, {@code ui-tars-1.5}) or
 * {@code auto}, resolved from the model's name; default {@code auto}
 */
public record SightlineOptions(LocationCache cache, CacheMode cacheMode, int maxNewTokens, long pollIntervalMs,
		boolean recordScreenshots, String profile) {

	public SightlineOptions {
		Objects.requireNonNull(cache, "cache");
		Objects.requireNonNull(cacheMode, "cacheMode");
		if (maxNewTokens < 1 || maxNewTokens > 8192) {
			throw new IllegalArgumentException("maxNewTokens must be within [1, 8192], got " + maxNewTokens);
		}
		Objects.requireNonNull(profile, "profile");
		if (pollIntervalMs < 0) {
			throw new IllegalArgumentException("pollIntervalMs must be >= 0, got " + pollIntervalMs);
		}
	}

	public static SightlineOptions defaults() {
		return new SightlineOptions(LocationCache.none(), CacheMode.READ_WRITE, 512, 500, true, ModelProfile.AUTO);
	}

	public SightlineOptions withCache(LocationCache value) {
		return new SightlineOptions(value, cacheMode, maxNewTokens, pollIntervalMs, recordScreenshots, profile);
	}

	public SightlineOptions withCacheMode(CacheMode value) {
		return new SightlineOptions(cache, value, maxNewTokens, pollIntervalMs, recordScreenshots, profile);
	}

	public SightlineOptions withMaxNewTokens(int value) {
		return new SightlineOptions(cache, cacheMode, value, pollIntervalMs, recordScreenshots, profile);
	}

	public SightlineOptions withPollIntervalMs(long value) {
		return new SightlineOptions(cache, cacheMode, maxNewTokens, value, recordScreenshots, profile);
	}

	public SightlineOptions withRecordScreenshots(boolean value) {
		return new SightlineOptions(cache, cacheMode, maxNewTokens, pollIntervalMs, value, profile);
	}

	/** The model family's profile id or {@code auto}; see {@code docs/model-profiles.md}. */
	public SightlineOptions withProfile(String value) {
		return new SightlineOptions(cache, cacheMode, maxNewTokens, pollIntervalMs, recordScreenshots, value);
	}

}
