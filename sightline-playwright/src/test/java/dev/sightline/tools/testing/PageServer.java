package dev.sightline.tools.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Serves HTML pages the test sets (and may change between runs) on 127.0.0.1. */
final class PageServer implements AutoCloseable {

	private final HttpServer server;

	private final Map<String, String> pages = new ConcurrentHashMap<>();

	PageServer() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		server.createContext("/", this::serve);
		server.start();
	}

	PageServer put(String path, String html) {
		pages.put(path, html);
		return this;
	}

	String url(String path) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + path;
	}

	private void serve(HttpExchange exchange) throws IOException {
		try (exchange) {
			String html = pages.get(exchange.getRequestURI().getPath());
			byte[] body = (html == null ? "not found" : html).getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(html == null ? 404 : 200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
