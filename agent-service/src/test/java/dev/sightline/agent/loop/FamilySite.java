package dev.sightline.agent.loop;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * The page the model-family ITs act on, in a 1280x720 viewport (1288x728 for the model): a red link at CSS
 * (100..300, 100..200), a blue link at (700..900, 400..500) and a search field at (100..400, 500..560) in a form.
 * Remembers the last path served, so a test sees which link was followed or whether the form was submitted.
 */
final class FamilySite implements AutoCloseable {

	private final HttpServer server;

	private volatile String lastPath = "";

	private FamilySite(HttpServer server) {
		this.server = server;
	}

	static FamilySite start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
			FamilySite site = new FamilySite(server);
			server.createContext("/", exchange -> {
				String path = exchange.getRequestURI().toString();
				if (!path.startsWith("/favicon")) {
					site.lastPath = path;
				}
				byte[] body = (path.equals("/") ? """
						<!doctype html><title>Colours</title>
						<body style="margin:0;background:#fff;font:24px sans-serif">
						<a href="/red" style="position:absolute;display:block;left:100px;top:100px;width:200px;height:100px;background:#c00">Red</a>
						<a href="/blue" style="position:absolute;display:block;left:700px;top:400px;width:200px;height:100px;background:#00c">Blue</a>
						<form action="/searched" method="get"><input name="q" style="position:absolute;left:100px;top:500px;width:300px;height:60px;font:24px sans-serif"></form>
						</body>""" : "<!doctype html><title>" + path + "</title><p>" + path)
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return site;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	String host() {
		return "127.0.0.1:" + server.getAddress().getPort();
	}

	String lastPath() {
		return lastPath;
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
