package dev.sightline.modelserver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.apache.hc.core5.util.Timeout;

import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;
import dev.sightline.net.PinnedHttp;

/**
 * Turns an {@code image_url} into encoded image bytes: base64 data URLs always; http(s) URLs only when the server
 * runs with {@code --allow-remote-images} (fetching arbitrary URLs from the model host is otherwise an SSRF hole), and
 * then only where the {@link NavigationPolicy} lets a browser go: public hosts, or the hosts of {@code --image-hosts},
 * checked again on every redirect hop. The fetch is the platform's one pinned client ({@link PinnedHttp}, which
 * webhooks use too): each hop resolves its host once, checks every address and connects to exactly those, so a
 * rebinding name cannot swap the address between the check and the connection; connect and read timeouts, a
 * deadline for the whole hop and a byte cap bound what a slow or endless server can cost.
 */
final class ImageSource {

	static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);

	/** Longest silence while reading a response. */
	static final Timeout READ_TIMEOUT = Timeout.ofSeconds(10);

	/** Longest one hop may take, headers and body, however steadily a server drips bytes. */
	static final long HOP_DEADLINE_MS = 20_000;

	private static final int MAX_REDIRECTS = 5;

	private final boolean allowRemote;

	private final PinnedHttp http;

	private final long maxBytes;

	ImageSource(boolean allowRemote, List<String> imageHosts, long maxBytes, HostResolver resolver) {
		this.allowRemote = allowRemote;
		this.maxBytes = maxBytes;
		this.http = new PinnedHttp(NavigationPolicy.forListedHosts(imageHosts, List.of()), resolver,
				new PinnedHttp.Limits(Duration.ofMillis(CONNECT_TIMEOUT.toMilliseconds()),
						Duration.ofMillis(READ_TIMEOUT.toMilliseconds()), Duration.ofMillis(HOP_DEADLINE_MS), maxBytes,
						MAX_REDIRECTS));
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
		PinnedHttp.Response response;
		try {
			response = http.get(url);
		}
		catch (PinnedHttp.Refused e) {
			throw ApiException.invalid(param, "image URL " + e.getMessage());
		}
		catch (PinnedHttp.TooLarge e) {
			throw new ApiException(413, "invalid_request_error", param, "image_too_large", "image at "
					+ abbreviate(url) + " exceeds " + maxBytes + " bytes (--max-request-bytes)");
		}
		catch (InterruptedIOException e) {
			throw ApiException.invalid(param, "fetching image " + abbreviate(url) + " timed out: " + e.getMessage()
					+ " (connect " + CONNECT_TIMEOUT + ", read " + READ_TIMEOUT + ", whole hop " + HOP_DEADLINE_MS
					+ " ms)");
		}
		catch (IOException e) {
			throw ApiException.invalid(param, "cannot fetch image " + abbreviate(url) + ": " + e.getMessage());
		}
		if (response.status() != 200) {
			throw ApiException.invalid(param, "fetching image " + abbreviate(url) + " answered HTTP " + response.status());
		}
		return response.body();
	}

	private static String abbreviate(String text) {
		return PinnedHttp.abbreviate(text);
	}

}
