package dev.sightline.vision.hub;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where models come from, with the environment variables huggingface_hub reads, so weights downloaded by Python
 * tools are reused and the other way round.
 *
 * @param endpoint hub base URL ({@code HF_ENDPOINT}, default {@code https://huggingface.co})
 * @param token bearer token for gated or private repositories ({@code HF_TOKEN})
 * @param cacheDir hub cache ({@code HF_HUB_CACHE}, else {@code HF_HOME/hub}, else {@code ~/.cache/huggingface/hub})
 * @param offline never contact the hub, use the cache only ({@code HF_HUB_OFFLINE=1})
 * @param parallelDownloads files downloaded at once, at least 1
 * @param attemptsPerFile tries per file before giving up; each retry resumes where the last one stopped
 * @param timeout connect timeout and the longest wait for the next bytes of a response
 */
public record HubSettings(URI endpoint, Optional<String> token, Path cacheDir, boolean offline, int parallelDownloads,
		int attemptsPerFile, Duration timeout) {

	public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

	public HubSettings {
		String scheme = endpoint.getScheme();
		if (!"https".equals(scheme) && !"http".equals(scheme)) {
			throw new HubException("hub endpoint must be an http(s) URL, got '" + endpoint + "'");
		}
		token = token.filter(t -> !t.isBlank());
		if (parallelDownloads < 1 || parallelDownloads > 64) {
			throw new HubException("parallel downloads must be within [1, 64], got " + parallelDownloads);
		}
		if (attemptsPerFile < 1 || attemptsPerFile > 20) {
			throw new HubException("attempts per file must be within [1, 20], got " + attemptsPerFile);
		}
	}

	/** Settings from the process environment and the user's home directory. */
	public static HubSettings fromEnvironment() {
		return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
	}

	public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
		URI endpoint = Optional.ofNullable(env.get("HF_ENDPOINT"))
			.filter(s -> !s.isBlank())
			.map(s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s))
			.orElse(DEFAULT_ENDPOINT);
		Optional<String> token = Optional.ofNullable(env.get("HF_TOKEN"));
		Path cache;
		if (present(env, "HF_HUB_CACHE")) {
			cache = Path.of(env.get("HF_HUB_CACHE"));
		}
		else if (present(env, "HF_HOME")) {
			cache = Path.of(env.get("HF_HOME")).resolve("hub");
		}
		else if (present(env, "XDG_CACHE_HOME")) {
			cache = Path.of(env.get("XDG_CACHE_HOME")).resolve("huggingface").resolve("hub");
		}
		else {
			cache = home.resolve(".cache").resolve("huggingface").resolve("hub");
		}
		boolean offline = Optional.ofNullable(env.get("HF_HUB_OFFLINE"))
			.map(v -> v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"))
			.orElse(false);
		return new HubSettings(endpoint, token, cache, offline, 4, 5, Duration.ofSeconds(30));
	}

	private static boolean present(Map<String, String> env, String key) {
		return env.get(key) != null && !env.get(key).isBlank();
	}

	public HubSettings withEndpoint(URI value) {
		return new HubSettings(value, token, cacheDir, offline, parallelDownloads, attemptsPerFile, timeout);
	}

	public HubSettings withCacheDir(Path value) {
		return new HubSettings(endpoint, token, value, offline, parallelDownloads, attemptsPerFile, timeout);
	}

	public HubSettings withToken(String value) {
		return new HubSettings(endpoint, Optional.ofNullable(value), cacheDir, offline, parallelDownloads,
				attemptsPerFile, timeout);
	}

	public HubSettings withOffline(boolean value) {
		return new HubSettings(endpoint, token, cacheDir, value, parallelDownloads, attemptsPerFile, timeout);
	}

	public HubSettings withAttemptsPerFile(int value) {
		return new HubSettings(endpoint, token, cacheDir, offline, parallelDownloads, value, timeout);
	}

	@Override
	public String toString() {
		// Never print the token.
		return "HubSettings[endpoint=" + endpoint + ", token=" + (token.isPresent() ? "set" : "unset") + ", cacheDir="
				+ cacheDir + ", offline=" + offline + ", parallelDownloads=" + parallelDownloads + "]";
	}

}
