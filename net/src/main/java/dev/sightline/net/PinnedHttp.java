package dev.sightline.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * HTTP to URLs a client chose (an image URL, a webhook), only where a {@link NavigationPolicy} lets a browser go.
 * Each hop resolves its host once, checks every address, and connects to exactly those addresses (the client's only
 * DNS answer), so a rebinding name cannot swap the address between the check and the connection. Redirects of a GET
 * are followed here, each hop checked again; a POST never follows one. Connect and read timeouts, a deadline for a
 * whole hop and a byte cap bound what a slow or endless server can cost. No retries, no cookies.
 */
public final class PinnedHttp {

	/**
	 * @param connect longest wait for a connection
	 * @param read longest silence while reading a response
	 * @param hop longest one hop may take, headers and body, however steadily a server drips bytes
	 * @param maxBodyBytes larger response bodies are refused ({@link TooLarge})
	 * @param maxRedirects redirects a GET follows
	 */
	public record Limits(Duration connect, Duration read, Duration hop, long maxBodyBytes, int maxRedirects) {
	}

	/** What the last hop answered. */
	public record Response(int status, @Nullable String location, byte[] body) {
	}

	/** The policy refused the URL (or a redirect's): nothing was sent. */
	public static final class Refused extends IOException {

		public Refused(String message) {
			super(message);
		}

	}

	/** The response body was longer than {@link Limits#maxBodyBytes()}. */
	public static final class TooLarge extends IOException {

		public TooLarge(String message) {
			super(message);
		}

	}

	private final NavigationPolicy policy;

	private final HostResolver resolver;

	private final Limits limits;

	public PinnedHttp(NavigationPolicy policy, HostResolver resolver, Limits limits) {
		this.policy = policy;
		this.resolver = resolver;
		this.limits = limits;
	}

	public Limits limits() {
		return limits;
	}

	/** GETs {@code url}, following redirects that the policy allows, each hop pinned. */
	public Response get(String url) throws IOException {
		String current = url;
		for (int hop = 0; hop <= limits.maxRedirects(); hop++) {
			Target target = checked(current, hop > 0 ? " (reached by a redirect from " + abbreviate(url) + ")" : "");
			URI uri = target.uri();
			Response response = exchange(new HttpGet(uri), target);
			if (response.location() == null) {
				return response;
			}
			current = uri.resolve(response.location()).toString();
		}
		throw new Refused(abbreviate(url) + " redirects more than " + limits.maxRedirects() + " times");
	}

	/** POSTs {@code body} to {@code url}, pinned; a redirect is returned as is, never followed. */
	public Response post(String url, Map<String, String> headers, byte[] body, String contentType) throws IOException {
		Target target = checked(url, "");
		HttpPost post = new HttpPost(target.uri());
		headers.forEach(post::setHeader);
		post.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
		return exchange(post, target);
	}

	/** A URL the policy allowed, with the addresses it checked: the only ones the connection may use. */
	private record Target(URI uri, List<InetAddress> addresses) {
	}

	private Target checked(String url, String via) throws Refused {
		NavigationPolicy.Decision decision = policy.check(url, resolver);
		if (!decision.allowed()) {
			throw new Refused(abbreviate(url) + " is refused: " + decision.reason() + via);
		}
		try {
			return new Target(URI.create(url), decision.addresses());
		}
		catch (IllegalArgumentException e) {
			throw new Refused("malformed URL: " + e.getMessage());
		}
	}

	/** One exchange with exactly the addresses the policy checked: the client's resolver knows no other answer. */
	private Response exchange(HttpUriRequestBase request, Target target) throws IOException {
		URI uri = target.uri();
		List<InetAddress> addresses = target.addresses();
		String checkedHost = Host.parse(uri.getHost() == null ? "" : uri.getHost()).name();
		DnsResolver pinned = new DnsResolver() {
			@Override
			public InetAddress[] resolve(String host) throws UnknownHostException {
				String asked = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
				if (!Host.parse(asked).name().equals(checkedHost)) {
					throw new UnknownHostException(host + " was not checked by the network policy");
				}
				return addresses.toArray(InetAddress[]::new);
			}

			@Override
			public String resolveCanonicalHostname(String host) {
				return host;
			}
		};
		long deadline = System.nanoTime() + limits.hop().toNanos();
		Timeout read = Timeout.of(limits.read());
		try (CloseableHttpClient client = HttpClients.custom()
			.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
				.setDnsResolver(pinned)
				.setDefaultConnectionConfig(ConnectionConfig.custom()
					.setConnectTimeout(Timeout.of(limits.connect()))
					.setSocketTimeout(read)
					.build())
				.build())
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(read).setRedirectsEnabled(false).build())
			.disableRedirectHandling()
			.disableAutomaticRetries()
			.disableCookieManagement()
			.build()) {
			return client.execute(request, response -> {
				int status = response.getCode();
				Header location = response.getFirstHeader("Location");
				if (status >= 300 && status < 400 && location != null) {
					return new Response(status, location.getValue(), new byte[0]);
				}
				if (response.getEntity() == null) {
					return new Response(status, null, new byte[0]);
				}
				try (InputStream body = response.getEntity().getContent()) {
					return new Response(status, null, readCapped(body, uri, deadline));
				}
			});
		}
	}

	private byte[] readCapped(InputStream body, URI uri, long deadline) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[16 * 1024];
		while (true) {
			int read = body.read(buffer);
			if (read < 0) {
				return out.toByteArray();
			}
			out.write(buffer, 0, read);
			if (out.size() > limits.maxBodyBytes()) {
				throw new TooLarge(abbreviate(uri.toString()) + " answered more than " + limits.maxBodyBytes() + " bytes");
			}
			if (System.nanoTime() > deadline) {
				throw new InterruptedIOException("the body took longer than " + limits.hop().toMillis() + " ms");
			}
		}
	}

	public static String abbreviate(String text) {
		return text.length() <= 60 ? text : text.substring(0, 57) + "...";
	}

}
