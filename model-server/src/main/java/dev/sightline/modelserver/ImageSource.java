package dev.sightline.modelserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;

import dev.sightline.net.Host;
import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;

/**
 * Turns an {@code image_url} into encoded image bytes: base64 data URLs always; http(s) URLs only when the server
 * runs with {@code --allow-remote-images} (fetching arbitrary URLs from the model host is otherwise an SSRF hole), and
 * then only where the {@link NavigationPolicy} lets a browser go: public hosts, or the hosts of {@code --image-hosts},
 * checked again on every redirect hop. Each hop resolves its host once, checks every address, and connects to
 * exactly those addresses (the HTTP client's only DNS answer), so a rebinding name cannot swap the address between
 * the check and the connection. Connect and read timeouts, a deadline for the whole body and a byte cap bound what a
 * slow or endless server can cost.
 */
final class ImageSource {

	static final Timeout CONNECT_TIMEOUT = Timeout.ofSeconds(5);

	/** Longest silence while reading a response. */
	static final Timeout READ_TIMEOUT = Timeout.ofSeconds(10);

	/** Longest one hop may take, headers and body, however steadily a server drips bytes. */
	static final long HOP_DEADLINE_MS = 20_000;

	private static final int MAX_REDIRECTS = 5;

	private final boolean allowRemote;

	private final NavigationPolicy policy;

	private final HostResolver resolver;

	private final long maxBytes;

	ImageSource(boolean allowRemote, List<String> imageHosts, long maxBytes, HostResolver resolver) {
		this.allowRemote = allowRemote;
		this.policy = NavigationPolicy.forListedHosts(imageHosts, List.of());
		this.resolver = resolver;
		this.maxBytes = maxBytes;
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
			String via = hop > 0 ? " (reached by a redirect from " + abbreviate(url) + ")" : "";
			NavigationPolicy.Decision decision = policy.check(current, resolver);
			if (!decision.allowed()) {
				throw ApiException.invalid(param,
						"image URL " + abbreviate(current) + " is refused: " + decision.reason() + via);
			}
			URI uri;
			try {
				uri = URI.create(current);
			}
			catch (IllegalArgumentException e) {
				throw ApiException.invalid(param, "malformed image URL: " + e.getMessage());
			}
			Hop result = get(uri, decision.addresses(), param);
			if (result.location() == null) {
				return result.body();
			}
			current = uri.resolve(result.location()).toString();
		}
		throw ApiException.invalid(param, "image URL " + abbreviate(url) + " redirects more than " + MAX_REDIRECTS
				+ " times");
	}

	private record Hop(byte[] body, String location) {
	}

	/** One GET to exactly {@code addresses}: the client's resolver knows no other answer. */
	private Hop get(URI uri, List<InetAddress> addresses, String param) {
		String checkedHost = Host.parse(uri.getHost() == null ? "" : uri.getHost()).name();
		DnsResolver pinned = new DnsResolver() {
			@Override
			public InetAddress[] resolve(String host) throws UnknownHostException {
				String asked = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
				if (!Host.parse(asked).name().equals(checkedHost)) {
					throw new UnknownHostException(host + " was not checked by the image policy");
				}
				return addresses.toArray(InetAddress[]::new);
			}

			@Override
			public String resolveCanonicalHostname(String host) throws UnknownHostException {
				return host;
			}
		};
		long deadline = System.nanoTime() + HOP_DEADLINE_MS * 1_000_000;
		try (CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(pinned)
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(CONNECT_TIMEOUT)
					.setSocketTimeout(READ_TIMEOUT)
					.build())
				.build())
			.setDefaultRequestConfig(RequestConfig.custom()
				.setResponseTimeout(READ_TIMEOUT)
				.setRedirectsEnabled(false)
				.build())
			// Redirects are followed in fetch(), so that each hop meets the policy; no retries, no cookies.
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.build()) {
			return client.execute(new HttpGet(uri), response -> {
				int status = response.getCode();
				Header location = response.getFirstHeader("Location");
				if (status >= 300 && status < 400 && location != null) {
					return new Hop(new byte[0], location.getValue());
				}
				if (status != 200) {
					throw ApiException.invalid(param,
							"fetching image " + abbreviate(uri.toString()) + " answered HTTP " + status);
				}
				try (InputStream body = response.getEntity().getContent()) {
					return new Hop(readCapped(body, uri, param, deadline), null);
				}
			});
		}
		catch (InterruptedIOException e) {
			throw ApiException.invalid(param, "fetching image " + abbreviate(uri.toString()) + " timed out: "
					+ e.getMessage() + " (connect " + CONNECT_TIMEOUT + ", read " + READ_TIMEOUT + ", whole hop "
					+ HOP_DEADLINE_MS + " ms)");
		}
		catch (IOException e) {
			throw ApiException.invalid(param, "cannot fetch image " + abbreviate(uri.toString()) + ": " + e.getMessage());
		}
	}

	private byte[] readCapped(InputStream body, URI uri, String param, long deadline) throws IOException {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		byte[] buffer = new byte[16 * 1024];
		while (true) {
			int read = body.read(buffer);
			if (read < 0) {
				return out.toByteArray();
			}
			out.write(buffer, 0, read);
			if (out.size() > maxBytes) {
				throw new ApiException(413, "invalid_request_error", param, "image_too_large", "image at "
						+ abbreviate(uri.toString()) + " exceeds " + maxBytes + " bytes (--max-request-bytes)");
			}
			if (System.nanoTime() > deadline) {
				throw new InterruptedIOException("the body took longer than " + HOP_DEADLINE_MS + " ms");
			}
		}
	}

	private static String abbreviate(String text) {
		return text.length() <= 60 ? text : text.substring(0, 57) + "...";
	}

}
