package dev.sightline.tools.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/** The filtering proxy on raw sockets: what a client that is not a well-behaved browser can and cannot make it do. */
class FilteringProxyIT {

	private HttpServer allowed;

	private HttpServer denied;

	private final AtomicInteger allowedHits = new AtomicInteger();

	private final AtomicInteger deniedHits = new AtomicInteger();

	private final AtomicReference<String> lastBody = new AtomicReference<>();

	private final List<BlockedRequest> blocked = new CopyOnWriteArrayList<>();

	private FilteringProxy proxy;

	@BeforeEach
	void start() throws IOException {
		allowed = server(allowedHits);
		denied = server(deniedHits);
		NavigationPolicy policy = NavigationPolicy.forListedHosts(List.of("127.0.0.1:" + allowed.getAddress().getPort()),
				List.of());
		proxy = FilteringProxy.start(policy, HostResolver.system(), blocked::add);
	}

	private HttpServer server(AtomicInteger hits) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
		server.createContext("/", exchange -> {
			hits.incrementAndGet();
			lastBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		return server;
	}

	@AfterEach
	void stop() {
		proxy.close();
		allowed.stop(0);
		denied.stop(0);
	}

	private String allowedAuthority() {
		return "127.0.0.1:" + allowed.getAddress().getPort();
	}

	private String deniedAuthority() {
		return "127.0.0.1:" + denied.getAddress().getPort();
	}

	private String exchange(String request) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
			socket.setSoTimeout(5_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			in.transferTo(response);
			return response.toString(StandardCharsets.ISO_8859_1);
		}
	}

	@Test
	void relaysAnAllowedRequestAndClosesTheConnectionAfterIt() throws IOException {
		String response = exchange("GET http://" + allowedAuthority() + "/a?b=c HTTP/1.1\r\nHost: " + allowedAuthority()
				+ "\r\nProxy-Connection: keep-alive\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 200").contains("Connection: close").endsWith("hello");
		assertThat(allowedHits).hasValue(1);
	}

	@Test
	void refusesADeniedHostWith403AndReportsIt() throws IOException {
		String response = exchange("GET http://" + deniedAuthority() + "/x HTTP/1.1\r\nHost: " + deniedAuthority()
				+ "\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 403").contains("not on the allow list");
		assertThat(deniedHits).hasValue(0);
		assertThat(blocked).singleElement().satisfies(b -> {
			assertThat(b.url()).isEqualTo("http://" + deniedAuthority() + "/x");
			assertThat(b.resourceType()).isEqualTo("http");
		});
	}

	@Test
	void refusesConnectToADeniedPortOfAnAllowedAddress() throws IOException {
		String response = exchange("CONNECT " + deniedAuthority() + " HTTP/1.1\r\nHost: " + deniedAuthority()
				+ "\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 403");
		assertThat(deniedHits).hasValue(0);
		assertThat(blocked).singleElement().satisfies(b -> assertThat(b.resourceType()).isEqualTo("connect"));
	}

	@Test
	void tunnelsConnectToAnAllowedEndpoint() throws IOException {
		String response = exchange("CONNECT " + allowedAuthority() + " HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n"
				+ "Connection: close\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 200 Connection Established").endsWith("hello");
	}

	@Test
	void aSecondRequestOnTheSameConnectionNeverReachesItsHost() throws IOException {
		// A pipelined second request must not ride on the connection checked for the first host.
		String response = exchange("GET http://" + allowedAuthority() + "/ HTTP/1.1\r\nHost: a\r\n\r\n"
				+ "GET http://" + deniedAuthority() + "/ HTTP/1.1\r\nHost: b\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 200");
		assertThat(allowedHits).hasValue(1);
		assertThat(deniedHits).hasValue(0);
	}

	@Test
	void relaysAChunkedBodyExactlyAndRefusesTwoBodyLengths() throws IOException {
		String ok = exchange("POST http://" + allowedAuthority() + "/ HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"
				+ "\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
		assertThat(ok).startsWith("HTTP/1.1 200");
		assertThat(lastBody).hasValue("hello world");

		String smuggled = exchange("POST http://" + allowedAuthority() + "/ HTTP/1.1\r\nHost: a\r\nContent-Length: 4"
				+ "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
		assertThat(smuggled).startsWith("HTTP/1.1 400").contains("both Content-Length and Transfer-Encoding");
		assertThat(allowedHits).hasValue(1);
	}

	@Test
	void boundsTheRequestHead() throws IOException {
		String huge = exchange("GET http://" + allowedAuthority() + "/ HTTP/1.1\r\nX-Big: "
				+ "a".repeat(FilteringProxy.MAX_HEAD_BYTES) + "\r\n\r\n");
		assertThat(huge).startsWith("HTTP/1.1 431");

		StringBuilder many = new StringBuilder("GET http://" + allowedAuthority() + "/ HTTP/1.1\r\n");
		for (int i = 0; i <= FilteringProxy.MAX_HEADER_LINES; i++) {
			many.append("X-").append(i).append(": v\r\n");
		}
		assertThat(exchange(many.append("\r\n").toString())).startsWith("HTTP/1.1 431");
		assertThat(allowedHits).hasValue(0);
	}

	@Test
	void refusesOriginFormAndNonHttpTargets() throws IOException {
		assertThat(exchange("GET / HTTP/1.1\r\nHost: " + allowedAuthority() + "\r\n\r\n")).startsWith("HTTP/1.1 403")
			.contains("absolute http URL or CONNECT");
		assertThat(exchange("GET ftp://" + allowedAuthority() + "/ HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 403");
		assertThat(allowedHits).hasValue(0);
	}

}
