package dev.sightline.tools.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** Serves the fixture pages under {@code /pages} of the test classpath on 127.0.0.1, counting requests. */
final class FixtureServer implements AutoCloseable {

	private final HttpServer server;

	private final AtomicInteger requests = new AtomicInteger();

	FixtureServer() throws IOException {
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.createContext("/", exchange -> {
			requests.incrementAndGet();
			String path = exchange.getRequestURI().getPath();
			String name = path.equals("/") ? "button.html" : path.substring(1);
			try (InputStream in = FixtureServer.class.getResourceAsStream("/pages/" + name)) {
				byte[] body = in == null ? "not found".getBytes() : in.readAllBytes();
				String type = name.endsWith(".html") ? "text/html; charset=utf-8" : "text/plain";
				exchange.getResponseHeaders().add("Content-Type", type);
				exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
				exchange.sendResponseHeaders(in == null ? 404 : 200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
		});
		server.start();
	}

	int port() {
		return server.getAddress().getPort();
	}

	String url(String page) {
		return "http://127.0.0.1:" + port() + "/" + page;
	}

	int requests() {
		return requests.get();
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
