package dev.sightline.tools.browser;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.net.Host;
import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;

/**
 * The HTTP proxy every byte of one browser context goes through, listening on its own loopback port: the port is
 * the context's identity, so each task's policy applies to its own traffic without credentials that the page could
 * observe or a second lookup table. Plain HTTP (absolute-form requests) and CONNECT tunnels (HTTPS, WebSockets,
 * TURN over TCP) are checked on host and port; the host is resolved once by {@link HostResolver}, every address is
 * checked, and the proxy connects to exactly a checked address, so a name cannot pass the check with one address
 * and be connected to another (DNS rebinding). A refused request gets {@code 403} with the rule that refused it and
 * is reported as a {@link BlockedRequest}.
 *
 * <p>
 * Written on JDK sockets and virtual threads rather than a proxy library: the maintained Java HTTP proxies are
 * either unmaintained (LittleProxy) or a Netty stack far larger than the two request forms Chromium sends to a
 * proxy, and none lets the caller pin the connection to the address it checked. Request and response heads are
 * bounded, each request gets its own upstream connection ({@code Connection: close}), so no later request can ride
 * on a connection checked for another host.
 */
final class FilteringProxy implements AutoCloseable {

	/** Largest request or response head (request line and headers). */
	static final int MAX_HEAD_BYTES = 64 * 1024;

	/** Most header lines in one head. */
	static final int MAX_HEADER_LINES = 200;

	static final int CONNECT_TIMEOUT_MS = 10_000;

	/** How long a client may take to send its request head. */
	static final int HEAD_TIMEOUT_MS = 30_000;

	/** A connection with no bytes in either direction for this long is closed. */
	static final long IDLE_TIMEOUT_MS = 300_000;

	/** Read timeout between checks of the shared idle clock. */
	private static final int POLL_MS = 15_000;

	private static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive",
			"proxy-authorization", "proxy-authenticate", "te", "trailer", "upgrade");

	private final ServerSocket server;

	private final NavigationPolicy policy;

	private final HostResolver resolver;

	private final Consumer<BlockedRequest> blocked;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	private FilteringProxy(ServerSocket server, NavigationPolicy policy, HostResolver resolver,
			Consumer<BlockedRequest> blocked) {
		this.server = server;
		this.policy = policy;
		this.resolver = resolver;
		this.blocked = blocked;
	}

	/**
	 * Listens on a free loopback port.
	 * @param blocked told of every refused request, on the proxy's threads
	 */
	static FilteringProxy start(NavigationPolicy policy, HostResolver resolver, Consumer<BlockedRequest> blocked) {
		ServerSocket server;
		try {
			server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new ToolsException("cannot start the browser's filtering proxy on loopback: " + ex.getMessage(), ex);
		}
		FilteringProxy proxy = new FilteringProxy(server, policy, resolver, blocked);
		Thread.ofVirtual().name("sightline-proxy-" + server.getLocalPort()).start(proxy::acceptLoop);
		return proxy;
	}

	/** The proxy's URL for Chromium's proxy settings. */
	String url() {
		return "http://127.0.0.1:" + server.getLocalPort();
	}

	int port() {
		return server.getLocalPort();
	}

	private void acceptLoop() {
		while (!closed) {
			Socket client;
			try {
				client = server.accept();
			}
			catch (IOException ex) {
				return;
			}
			sockets.add(client);
			Thread.ofVirtual().name("sightline-proxy-conn").start(() -> serve(client));
		}
	}

	private void serve(Socket client) {
		try (client) {
			client.setTcpNoDelay(true);
			client.setSoTimeout(HEAD_TIMEOUT_MS);
			InputStream in = new BufferedInputStream(client.getInputStream());
			OutputStream out = client.getOutputStream();
			Head head;
			try {
				head = Head.read(in);
			}
			catch (BadHeadException ex) {
				respond(out, ex.status, ex.getMessage());
				return;
			}
			if (head == null) {
				return;
			}
			String[] parts = head.startLine().split(" ");
			if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
				respond(out, 400, "malformed request line");
				return;
			}
			if (parts[0].equals("CONNECT")) {
				tunnel(parts[1], client, in, out);
			}
			else {
				forward(parts[0], parts[1], head, client, in, out);
			}
		}
		catch (IOException ex) {
			// The browser or the server went away, or the connection idled out: nothing left to answer.
		}
		finally {
			sockets.remove(client);
		}
	}

	private void tunnel(String authority, Socket client, InputStream in, OutputStream out) throws IOException {
		int colon = authority.lastIndexOf(':');
		Host host;
		int port;
		try {
			if (colon < 0 || colon < authority.lastIndexOf(']')) {
				throw new IllegalArgumentException("CONNECT target '" + authority + "' has no port");
			}
			host = Host.parse(authority.substring(0, colon));
			port = parsePort(authority.substring(colon + 1));
		}
		catch (IllegalArgumentException ex) {
			deny(out, authority, "connect", ex.getMessage());
			return;
		}
		NavigationPolicy.Decision decision = policy.checkEndpoint(host, port, resolver);
		if (!decision.allowed()) {
			deny(out, host.authority() + ":" + port, "connect", decision.reason());
			return;
		}
		Socket upstream = connect(decision.addresses(), port);
		if (upstream == null) {
			respond(out, 502, "cannot connect to " + host.authority() + ":" + port);
			return;
		}
		try (upstream) {
			out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			relay(client, in, upstream);
		}
	}

	private void forward(String method, String target, Head head, Socket client, InputStream in, OutputStream out)
			throws IOException {
		URI uri;
		Host host;
		int port;
		try {
			uri = new URI(target);
			if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getRawAuthority() == null) {
				throw new IllegalArgumentException(
						"a proxy request must be an absolute http URL or CONNECT, got '" + abbreviate(target) + "'");
			}
			String authority = uri.getRawAuthority();
			authority = authority.substring(authority.lastIndexOf('@') + 1);
			int colon = authority.lastIndexOf(':');
			boolean hasPort = colon >= 0 && colon > authority.lastIndexOf(']');
			host = Host.parse(hasPort ? authority.substring(0, colon) : authority);
			port = hasPort ? parsePort(authority.substring(colon + 1)) : 80;
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			deny(out, abbreviate(target), "http", ex.getMessage());
			return;
		}
		NavigationPolicy.Decision decision = policy.checkEndpoint(host, port, resolver);
		if (!decision.allowed()) {
			deny(out, target, "http", decision.reason());
			return;
		}
		long contentLength = 0;
		boolean chunked = false;
		List<String> headers = new ArrayList<>();
		Set<String> connectionOptions = Set.copyOf(head.values("connection"));
		for (String line : head.headers()) {
			String name = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
			String value = line.substring(line.indexOf(':') + 1).strip();
			if (name.equals("transfer-encoding")) {
				if (!value.equalsIgnoreCase("chunked")) {
					respond(out, 501, "transfer-encoding '" + value + "' is not supported");
					return;
				}
				chunked = true;
			}
			else if (name.equals("content-length")) {
				if (!value.matches("\\d{1,18}")) {
					respond(out, 400, "invalid Content-Length '" + abbreviate(value) + "'");
					return;
				}
				contentLength = Long.parseLong(value);
			}
			if (!HOP_BY_HOP.contains(name) && !connectionOptions.contains(name)) {
				headers.add(line);
			}
		}
		if (chunked && head.values("content-length").size() > 0) {
			// Two body lengths are how requests are smuggled past a proxy.
			respond(out, 400, "a request must not carry both Content-Length and Transfer-Encoding");
			return;
		}
		Socket upstream = connect(decision.addresses(), port);
		if (upstream == null) {
			respond(out, 502, "cannot connect to " + host.authority() + ":" + port);
			return;
		}
		sockets.add(upstream);
		try (upstream) {
			String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
			StringBuilder request = new StringBuilder(method).append(' ').append(path);
			if (uri.getRawQuery() != null) {
				request.append('?').append(uri.getRawQuery());
			}
			request.append(" HTTP/1.1\r\n");
			for (String line : headers) {
				request.append(line).append("\r\n");
			}
			request.append("Connection: close\r\n\r\n");
			OutputStream up = upstream.getOutputStream();
			up.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
			client.setSoTimeout(POLL_MS * 2);
			if (chunked) {
				copyChunked(in, up);
			}
			else {
				copyExactly(in, up, contentLength);
			}
			up.flush();
			upstream.setSoTimeout(POLL_MS * 2);
			InputStream down = new BufferedInputStream(upstream.getInputStream());
			Head response;
			try {
				response = Head.read(down);
			}
			catch (BadHeadException ex) {
				respond(out, 502, "the server's response " + ex.getMessage());
				return;
			}
			if (response == null) {
				respond(out, 502, "the server closed the connection without answering");
				return;
			}
			StringBuilder relayed = new StringBuilder(response.startLine()).append("\r\n");
			for (String line : response.headers()) {
				String name = line.substring(0, line.indexOf(':')).strip().toLowerCase(Locale.ROOT);
				if (!name.equals("connection") && !name.equals("keep-alive") && !name.equals("proxy-connection")) {
					relayed.append(line).append("\r\n");
				}
			}
			// One request per connection: the browser opens a new one, checked anew, for its next request.
			relayed.append("Connection: close\r\n\r\n");
			out.write(relayed.toString().getBytes(StandardCharsets.ISO_8859_1));
			copyUntilIdle(down, out, new AtomicLong(System.nanoTime()));
			out.flush();
		}
		finally {
			sockets.remove(upstream);
		}
	}

	/** Both directions until either side closes or nothing moves for {@link #IDLE_TIMEOUT_MS}. */
	private void relay(Socket client, InputStream clientIn, Socket upstream) throws IOException {
		AtomicLong lastActivity = new AtomicLong(System.nanoTime());
		client.setSoTimeout(POLL_MS);
		upstream.setSoTimeout(POLL_MS);
		sockets.add(upstream);
		Thread up = Thread.ofVirtual().name("sightline-proxy-up").start(() -> {
			try {
				copyUntilIdle(clientIn, upstream.getOutputStream(), lastActivity);
				upstream.shutdownOutput();
			}
			catch (IOException ex) {
				closeQuietly(upstream);
			}
		});
		try {
			copyUntilIdle(upstream.getInputStream(), client.getOutputStream(), lastActivity);
		}
		finally {
			sockets.remove(upstream);
			closeQuietly(upstream);
			closeQuietly(client);
			up.interrupt();
		}
	}

	private static void copyUntilIdle(InputStream from, OutputStream to, AtomicLong lastActivity) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		while (true) {
			int read;
			try {
				read = from.read(buffer);
			}
			catch (SocketTimeoutException ex) {
				if ((System.nanoTime() - lastActivity.get()) / 1_000_000 > IDLE_TIMEOUT_MS) {
					throw ex;
				}
				continue;
			}
			if (read < 0) {
				return;
			}
			to.write(buffer, 0, read);
			to.flush();
			lastActivity.set(System.nanoTime());
		}
	}

	private static void copyExactly(InputStream from, OutputStream to, long length) throws IOException {
		byte[] buffer = new byte[16 * 1024];
		long left = length;
		while (left > 0) {
			int read = from.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (read < 0) {
				throw new IOException("request body ended " + left + " bytes early");
			}
			to.write(buffer, 0, read);
			left -= read;
		}
	}

	/** Relays a chunked body up to and including its last chunk and trailers, and not a byte further. */
	private static void copyChunked(InputStream from, OutputStream to) throws IOException {
		while (true) {
			String sizeLine = Head.readLine(from, 1024);
			if (sizeLine == null) {
				throw new IOException("chunked request body ended early");
			}
			String size = sizeLine.contains(";") ? sizeLine.substring(0, sizeLine.indexOf(';')) : sizeLine;
			if (!size.strip().matches("[0-9A-Fa-f]{1,15}")) {
				throw new IOException("invalid chunk size line");
			}
			long length = Long.parseLong(size.strip(), 16);
			to.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
			if (length == 0) {
				for (int i = 0; i < MAX_HEADER_LINES; i++) {
					String trailer = Head.readLine(from, MAX_HEAD_BYTES);
					if (trailer == null || trailer.isEmpty()) {
						to.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
						return;
					}
					to.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
				}
				throw new IOException("too many trailer lines");
			}
			copyExactly(from, to, length + 2);
		}
	}

	private @Nullable Socket connect(List<InetAddress> addresses, int port) {
		for (InetAddress address : addresses) {
			Socket socket = new Socket();
			try {
				// The address the policy checked, never the name: no second lookup.
				socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
				socket.setTcpNoDelay(true);
				return socket;
			}
			catch (IOException ex) {
				closeQuietly(socket);
			}
		}
		return null;
	}

	private void deny(OutputStream out, String url, String kind, String reason) throws IOException {
		blocked.accept(new BlockedRequest(url, kind, reason));
		respond(out, 403, "Sightline's network policy refused " + abbreviate(url) + ": " + reason);
	}

	private static void respond(OutputStream out, int status, String message) throws IOException {
		byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
		String reason = switch (status) {
			case 400 -> "Bad Request";
			case 403 -> "Forbidden";
			case 431 -> "Request Header Fields Too Large";
			case 501 -> "Not Implemented";
			default -> "Bad Gateway";
		};
		out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
				+ "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1));
		out.write(body);
		out.flush();
	}

	private static int parsePort(String text) {
		if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65_535) {
			throw new IllegalArgumentException("port '" + abbreviate(text) + "' is outside 1..65535");
		}
		return Integer.parseInt(text);
	}

	private static String abbreviate(String text) {
		return text.length() <= 200 ? text : text.substring(0, 197) + "...";
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ignored) {
			// Closing after an error: nothing more to do.
		}
	}

	@Override
	public void close() {
		closed = true;
		try {
			server.close();
		}
		catch (IOException ignored) {
			// Already closed.
		}
		for (Socket socket : sockets) {
			closeQuietly(socket);
		}
	}

	private static final class BadHeadException extends IOException {

		private final int status;

		BadHeadException(int status, String message) {
			super(message);
			this.status = status;
		}

	}

	/** A request or response head: the start line and header lines, bounded in size and count. */
	private record Head(String startLine, List<String> headers) {

		/** The head, or {@code null} when the stream ends before its first byte. */
		static @Nullable Head read(InputStream in) throws IOException {
			String start = readLine(in, MAX_HEAD_BYTES);
			if (start == null) {
				return null;
			}
			int used = start.length();
			List<String> headers = new ArrayList<>();
			while (true) {
				String line = readLine(in, MAX_HEAD_BYTES - used);
				if (line == null) {
					throw new IOException("connection closed inside a head");
				}
				if (line.isEmpty()) {
					return new Head(start, headers);
				}
				used += line.length() + 2;
				if (headers.size() >= MAX_HEADER_LINES) {
					throw new BadHeadException(431, "head has more than " + MAX_HEADER_LINES + " header lines");
				}
				if (line.indexOf(':') <= 0 || line.startsWith(" ") || line.startsWith("\t")) {
					// Folded or nameless lines are how header smuggling starts; no browser sends them.
					throw new BadHeadException(400, "malformed header line in head");
				}
				headers.add(line);
			}
		}

		List<String> values(String name) {
			List<String> values = new ArrayList<>();
			for (String line : headers) {
				if (line.substring(0, line.indexOf(':')).strip().equalsIgnoreCase(name)) {
					for (String value : line.substring(line.indexOf(':') + 1).split(",")) {
						values.add(value.strip().toLowerCase(Locale.ROOT));
					}
				}
			}
			return values;
		}

		/** One CRLF- (or LF-) terminated line of at most {@code limit} bytes, or null at end of stream. */
		static @Nullable String readLine(InputStream in, int limit) throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
			while (true) {
				int b = in.read();
				if (b < 0) {
					if (line.size() == 0) {
						return null;
					}
					throw new IOException("connection closed inside a line");
				}
				if (b == '\n') {
					byte[] bytes = line.toByteArray();
					int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
					return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
				}
				if (line.size() >= limit) {
					throw new BadHeadException(431, "head exceeds " + MAX_HEAD_BYTES + " bytes");
				}
				line.write(b);
			}
		}

	}

}
