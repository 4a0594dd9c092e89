package dev.sightline.agent.security;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Local mode's defence against DNS rebinding and cross-site requests: a web page the user visits can point its own
 * host name at 127.0.0.1, but its requests then carry that name in {@code Host} (and its origin in {@code Origin}).
 * Only a loopback name or address is accepted as {@code Host}, and an {@code Origin}, when sent, must be this server
 * itself (a loopback host on this port); anything else is refused with 403 before authentication or routing.
 */
final class LoopbackOnlyFilter extends OncePerRequestFilter {

	private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

	private final Problems problems;

	LoopbackOnlyFilter(Problems problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String host = request.getHeader(HttpHeaders.HOST);
		if (host == null || !isLoopback(hostOf(host))) {
			problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden host",
					"local mode answers only requests addressed to a loopback name (localhost, 127.0.0.1, [::1]); Host '"
							+ host + "' is not one. Configure sightline.security.api-keys to serve other names");
			return;
		}
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && !isOwnOrigin(origin, request.getLocalPort())) {
			problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden origin",
					"local mode answers only this server's own pages; Origin '" + origin + "' is another site");
			return;
		}
		chain.doFilter(request, response);
	}

	/** The host of a {@code Host} header value: {@code name[:port]} or {@code [v6][:port]}. */
	static String hostOf(String hostHeader) {
		String value = hostHeader.strip().toLowerCase(Locale.ROOT);
		if (value.startsWith("[")) {
			int end = value.indexOf(']');
			return end < 0 ? value : value.substring(0, end + 1);
		}
		int colon = value.indexOf(':');
		return colon < 0 ? value : value.substring(0, colon);
	}

	/** Names and literals only, never a DNS lookup: a rebinding name must not pass because it now resolves locally. */
	static boolean isLoopback(String host) {
		String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
		return h.equals("localhost") || h.endsWith(".localhost") || IPV4_LOOPBACK.matcher(h).matches()
				|| h.equals("[::1]");
	}

	static boolean isOwnOrigin(String origin, int localPort) {
		URI uri;
		try {
			uri = new URI(origin.strip());
		}
		catch (URISyntaxException e) {
			return false;
		}
		@Nullable String scheme = uri.getScheme();
		@Nullable String host = uri.getHost();
		if (scheme == null || host == null || !(scheme.equals("http") || scheme.equals("https"))) {
			return false;
		}
		int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
		return isLoopback(host.toLowerCase(Locale.ROOT)) && port == localPort;
	}

}
