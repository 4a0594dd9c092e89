package dev.sightline.vision.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import dev.sightline.vision.net.NavigationPolicy;

/**
 * Turns an {@code image_url} into encoded image bytes: base64 data URLs always; http(s) URLs only when the server
 * runs with {@code --allow-remote-images} (fetching arbitrary URLs from the model host is otherwise an SSRF hole), and
 * then only where the {@link NavigationPolicy} lets a browser go: public hosts, or the hosts of {@code --image-hosts},
 * checked again on every redirect hop.
 */
final class ImageSource {

	private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(15);

	private static final int MAX_REDIRECTS = 5;

	private final boolean allowRemote;

	private final NavigationPolicy policy;

	private final long maxBytes;

	private final HttpClient client;

	ImageSource(boolean allowRemote, List<String> imageHosts, long maxBytes) {
		this.allowRemote = allowRemote;
		this.policy = NavigationPolicy.forListedHosts(imageHosts, List.of());
		this.maxBytes = maxBytes;
		// Redirects are followed here, not by the client, so that each hop meets the policy.
		this.client = allowRemote ? HttpClient.newBuilder()
			.connectTimeout(FETCH_TIMEOUT)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build() : null;
	}

	byte[] load(String url, String param) {
		if (url.regionMatches(true, 0, "data:", 0, 5)) {
			return decodeDataUrl(url, param);
		}
		String lower = url.toLowerCase(Locale.ROOT);
		if (lower.startsWith("http://") || lower.startsWith("https://")) {
			if (!allowRemote) {
				throw ApiException.invalid(param, "http(s) image URLs are disabled on this server (start it with "
						+ "--allow-remote-images); send the image as a base64 data URL");
			}
			return fetch(url, param);
		}
		throw ApiException.invalid(param, "image URL must be a data URL (data:image/png;base64,...)"
				+ (allowRemote ? " or an http(s) URL" : "") + ", got '" + abbreviate(url) + "'");
	}

	static byte[] decodeDataUrl(String url, String param) {
		int comma = url.indexOf(',');
		if (comma < 0) {
			throw ApiException.invalid(param, "data URL has no ',' before its data");
		}
		String header = url.substring(5, comma).toLowerCase(Locale.ROOT);
		if (!header.endsWith(";base64")) {
			throw ApiException.invalid(param, "data URL must be base64-encoded (data:image/png;base64,...), got 'data:"
					+ abbreviate(header) + "'");
		}
		try {
			return Base64.getMimeDecoder().decode(url.substring(comma + 1));
		}
		catch (IllegalArgumentException e) {
			throw ApiException.invalid(param, "data URL holds invalid base64: " + e.getMessage());
		}
	}

	private byte[] fetch(String url, String param) {
		String current = url;
		for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
			NavigationPolicy.Decision decision = policy.check(current);
			if (!decision.allowed()) {
				throw ApiException.invalid(param, "image URL " + abbreviate(current) + " is refused: "
						+ decision.reason() + (hop > 0 ? " (reached by a redirect from " + abbreviate(url) + ")" : ""));
			}
			URI uri;
			try {
				uri = URI.create(current);
			}
			catch (IllegalArgumentException e) {
				throw ApiException.invalid(param, "malformed image URL: " + e.getMessage());
			}
			try {
				HttpResponse<InputStream> response = client.send(
						HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET().build(),
						HttpResponse.BodyHandlers.ofInputStream());
				try (InputStream body = response.body()) {
					int status = response.statusCode();
					if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
						current = uri.resolve(response.headers().firstValue("Location").get()).toString();
						continue;
					}
					if (status != 200) {
						throw ApiException.invalid(param, "fetching image " + abbreviate(current) + " answered HTTP " + status);
					}
					byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
					if (bytes.length > maxBytes) {
						throw new ApiException(413, "invalid_request_error", param, "image_too_large",
								"image at " + abbreviate(current) + " exceeds " + maxBytes + " bytes (--max-request-bytes)");
					}
					return bytes;
				}
			}
			catch (IOException e) {
				throw ApiException.invalid(param, "cannot fetch image " + abbreviate(current) + ": " + e.getMessage());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw ApiException.invalid(param, "interrupted while fetching image " + abbreviate(current));
			}
		}
		throw ApiException.invalid(param, "image URL " + abbreviate(url) + " redirects more than " + MAX_REDIRECTS
				+ " times");
	}

	private static String abbreviate(String text) {
		return text.length() <= 60 ? text : text.substring(0, 57) + "...";
	}

}
