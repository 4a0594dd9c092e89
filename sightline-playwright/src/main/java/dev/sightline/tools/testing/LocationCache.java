package dev.sightline.tools.testing;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where located elements are remembered between runs. {@link FileLocationCache} keeps a JSON file next to the tests;
 * a shared store (e.g. Redis, so a CI fleet warms one cache) implements the same three methods. Implementations are
 * safe for concurrent use; the {@link CacheMode} is applied by the caller.
 */
public interface LocationCache {

	Optional<CachedLocation> find(CacheKey key);

	void save(CacheKey key, CachedLocation location);

	void evict(CacheKey key);

	/** A cache that remembers nothing. */
	static LocationCache none() {
		return NoLocationCache.INSTANCE;
	}

	/** A JSON file cache, created on the first save. */
	static LocationCache file(Path file) {
		return new FileLocationCache(file);
	}

}
