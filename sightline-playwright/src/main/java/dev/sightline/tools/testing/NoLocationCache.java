package dev.sightline.tools.testing;

import java.util.Optional;

/** {@link LocationCache#none()}. */
enum NoLocationCache implements LocationCache {

	INSTANCE;

	@Override
	public Optional<CachedLocation> find(CacheKey key) {
		return Optional.empty();
	}

	@Override
	public void save(CacheKey key, CachedLocation location) {
	}

	@Override
	public void evict(CacheKey key) {
	}

}
