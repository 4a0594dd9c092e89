package dev.sightline.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small multi-page site on 127.0.0.1 served from {@code src/test/resources/site}, recording every request line so
 * tests can see what the browser really did (which page it reached, what a form submitted).
 */
public final class FixtureSite implements AutoCloseable {

	private final HttpServer server;

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private FixtureSite(HttpServer server) {
		this.server = server;
	}

	public static FixtureSite start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
		FixtureSite site = new FixtureSite(server);
		server.createContext("/", site::serve);
		server.start();
		return site;
	}

	public String url(String path) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
	}

	/** {@code 127.0.0.1:port}, as {@code sightline.browser.allowed-hosts} takes it. */
	public String hostPort() {
		return "127.0.0.1:" + server.getAddress().getPort();
	}

	/** Request targets (path and query) in arrival order. */
	public List<String> requests() {
		return List.copyOf(requests);
	}

	private void serve(HttpExchange exchange) throws IOException {
		try (exchange) {
			String target = exchange.getRequestURI().getRawPath()
					+ (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
			requests.add(target);
			String path = exchange.getRequestURI().getPath();
			if (path.equals("/signed-in")) {
				send(exchange, 200, "<!doctype html><title>Welcome</title><p style='font:48px sans-serif'>Welcome</p>");
				return;
			}
			String name = path.equals("/") ? "index.html" : path.substring(1);
			if (!name.matches("[a-z0-9-]+\\.html")) {
				send(exchange, 404, "not found");
				return;
			}
			try (InputStream in = FixtureSite.class.getResourceAsStream("/site/" + name)) {
				if (in == null) {
					send(exchange, 404, "not found");
					return;
				}
				send(exchange, 200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
	}

	private static void send(HttpExchange exchange, int status, String html) throws IOException {
		byte[] body = html.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
