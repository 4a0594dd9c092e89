package dev.sightline.tools.testing;

import java.nio.file.Path;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import com.microsoft.playwright.Browser;

import dev.sightline.vision.chat.VisionLanguageModel;

/**
 * What {@link UseSightline} sets up, overridable per test class by a subclass with a no-argument constructor. Each
 * default reads a system property, else the environment variable of the same name in upper snake case
 * ({@code sightline.testing.model-url} = {@code SIGHTLINE_TESTING_MODEL_URL}), else the documented default.
 */
public class SightlineConfig {

	/**
	 * The model's OpenAI-compatible endpoint: default {@code sightline.testing.model-url}, named
	 * {@code sightline.testing.model-name}, with key {@code sightline.testing.api-key}. Not used when
	 * {@link #inProcessModel()} returns a model.
	 */
	public ModelEndpoint model() {
		return ModelEndpoint.of(setting("sightline.testing.model-url", "http://127.0.0.1:8000/v1"))
			.withModelName(setting("sightline.testing.model-name", ModelEndpoint.DEFAULT_MODEL_NAME))
			.withApiKey(setting("sightline.testing.api-key", ""));
	}

	/**
	 * A model running in the test JVM (e.g. vision-runtime's {@code QwenVl}) instead of {@link #model()}; default
	 * none. The only place a configuration names a vision-runtime type, so only users who ask for the in-process
	 * model need vision-runtime on their test classpath's API.
	 */
	public @Nullable VisionLanguageModel inProcessModel() {
		return null;
	}

	/** The location cache file: default {@code sightline.testing.cache-file}, {@code src/test/resources/sightline/locations.json}. */
	public Path cacheFile() {
		return Path.of(setting("sightline.testing.cache-file", "src/test/resources/sightline/locations.json"));
	}

	/** Default {@code sightline.testing.cache-mode}, {@code read-write}. */
	public CacheMode cacheMode() {
		return CacheMode.parse(setting("sightline.testing.cache-mode", "read-write"));
	}

	/** Default {@code sightline.testing.report}, {@code on-failure}. */
	public ReportMode reportMode() {
		return ReportMode.parse(setting("sightline.testing.report", "on-failure"));
	}

	/** Default {@code sightline.testing.report-dir}, {@code target/sightline-reports}. */
	public Path reportDir() {
		return Path.of(setting("sightline.testing.report-dir", "target/sightline-reports"));
	}

	/** Each test's browser context: default a 1280x720 viewport. */
	public Browser.NewContextOptions contextOptions() {
		return new Browser.NewContextOptions().setViewportSize(1280, 720);
	}

	/**
	 * Options of each test's {@link SightlineAi}, given the cache this configuration opened; the model profile from
	 * {@code sightline.testing.model-profile}, default {@code auto}.
	 */
	public SightlineOptions options(LocationCache cache) {
		return SightlineOptions.defaults()
			.withCache(cache)
			.withCacheMode(cacheMode())
			.withProfile(setting("sightline.testing.model-profile", "auto"));
	}

	protected static String setting(String key, String defaultValue) {
		String value = System.getProperty(key);
		if (value == null || value.isBlank()) {
			value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
		}
		return value == null || value.isBlank() ? defaultValue : value;
	}

}
