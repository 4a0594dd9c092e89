package dev.sightline.tools.testing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a cached location is valid for: the page (its URL pattern), what the test asked for, and the viewport, since
 * layouts move with the viewport.
 *
 * @param urlPattern host (without port) and path, numeric path segments as {@code *}, see {@link #urlPattern(String)}
 * @param instruction the test's words, e.g. {@code "the Sign in button"}
 * @param viewportWidthPx viewport width in CSS px
 * @param viewportHeightPx viewport height in CSS px
 */
public record CacheKey(String urlPattern, String instruction, int viewportWidthPx, int viewportHeightPx) {

	private static final Pattern NUMERIC_SEGMENT = Pattern.compile("/\\d+(?=/|$)");

	public CacheKey {
		Objects.requireNonNull(urlPattern, "urlPattern");
		if (instruction.isBlank()) {
			throw new IllegalArgumentException("a cache key needs a non-blank instruction");
		}
		if (viewportWidthPx < 1 || viewportHeightPx < 1) {
			throw new IllegalArgumentException(
					"viewport must be at least 1x1 CSS px, got " + viewportWidthPx + "x" + viewportHeightPx);
		}
	}

	/**
	 * The part of a URL that names a page across runs: no scheme, port, query or fragment (test servers get a new
	 * port each run; queries carry session noise), numeric ids as {@code *} so {@code /orders/17} and
	 * {@code /orders/18} share entries. {@code http://127.0.0.1:43117/orders/17?x=1} → {@code 127.0.0.1/orders/*}.
	 */
	public static String urlPattern(String url) {
		try {
			URI uri = new URI(url);
			if (uri.getHost() == null) {
				// about:blank, data: and file: URLs have no host; keep what names them.
				String scheme = uri.getScheme() == null ? "" : uri.getScheme() + ":";
				return scheme + (uri.getPath() == null ? uri.getSchemeSpecificPart() : uri.getPath());
			}
			String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
			return uri.getHost().toLowerCase(Locale.ROOT) + NUMERIC_SEGMENT.matcher(path).replaceAll("/*");
		}
		catch (URISyntaxException e) {
			throw new IllegalArgumentException("page URL is not a valid URI: " + url, e);
		}
	}

	/** One line naming this key, for file caches and reports. */
	public String id() {
		return urlPattern + " @" + viewportWidthPx + "x" + viewportHeightPx + " :: " + instruction;
	}

}
