package dev.sightline.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PinnedHttp against real local servers: only what the policy allows is reached, the connection goes to the address
 * the policy checked (a name that resolves elsewhere afterwards changes nothing), redirects are checked per hop, and
 * bodies are capped.
 */
class PinnedHttpTest {

	static final PinnedHttp.Limits LIMITS = new PinnedHttp.Limits(Duration.ofSeconds(2), Duration.ofSeconds(2),
			Duration.ofSeconds(4), 1024, 3);

	HttpServer allowed;

	HttpServer other;

	final AtomicInteger otherRequests = new AtomicInteger();

	@BeforeEach
	void start() throws IOException {
		allowed = server();
		allowed.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getPath();
			try (InputStream in = exchange.getRequestBody()) {
				in.readAllBytes();
			}
			if (path.equals("/away")) {
				exchange.getResponseHeaders().add("Location",
						"http://127.0.0.1:" + other.getAddress().getPort() + "/");
				exchange.sendResponseHeaders(302, -1);
			}
			else {
				byte[] body = (path.equals("/big") ? "x".repeat(2000) : exchange.getRequestMethod() + " ok")
					.getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			exchange.close();
		});
		other = server();
		other.createContext("/", exchange -> {
			otherRequests.incrementAndGet();
			exchange.sendResponseHeaders(204, -1);
			exchange.close();
		});
	}

	@AfterEach
	void stop() {
		allowed.stop(0);
		other.stop(0);
	}

	static HttpServer server() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.start();
		return server;
	}

	PinnedHttp http(HostResolver resolver) {
		return new PinnedHttp(NavigationPolicy.forListedHosts(
				List.of("127.0.0.1:" + allowed.getAddress().getPort(), "hook.test:" + allowed.getAddress().getPort()),
				List.of()), resolver, LIMITS);
	}

	@Test
	void reachesAnAllowedHostAndRefusesOthersWithoutConnecting() throws IOException {
		PinnedHttp http = http(HostResolver.system());
		int port = allowed.getAddress().getPort();

		assertThat(new String(http.post("http://127.0.0.1:" + port + "/hook", Map.of("X-A", "1"),
				"{}".getBytes(StandardCharsets.UTF_8), "application/json").body(), StandardCharsets.UTF_8))
			.isEqualTo("POST ok");
		assertThatThrownBy(() -> http.post("http://127.0.0.1:" + other.getAddress().getPort() + "/", Map.of(),
				new byte[0], "application/json"))
			.isInstanceOf(PinnedHttp.Refused.class)
			.hasMessageContaining("is refused");
		assertThatThrownBy(() -> http.get("http://127.0.0.1:" + port + "/away"))
			.isInstanceOf(PinnedHttp.Refused.class)
			.hasMessageContaining("reached by a redirect from");
		assertThat(http.post("http://127.0.0.1:" + port + "/away", Map.of(), new byte[0], "application/json")
			.status()).as("a POST returns the redirect, never follows it").isEqualTo(302);
		assertThat(otherRequests.get()).isZero();
	}

	@Test
	void connectsToTheAddressTheCheckResolvedNotALaterAnswer() throws IOException {
		// The first answer (checked) is loopback, listed for this port; any later lookup would answer an address
		// that does not route. A client that resolved again would fail to connect.
		AtomicInteger lookups = new AtomicInteger();
		HostResolver rebinding = name -> {
			if (lookups.getAndIncrement() == 0) {
				return List.of(InetAddress.getLoopbackAddress());
			}
			return List.of(InetAddress.getByName("192.0.2.1"));
		};

		PinnedHttp.Response response = http(rebinding).get("http://hook.test:" + allowed.getAddress().getPort() + "/");

		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("GET ok");
		assertThat(lookups.get()).isEqualTo(1);
	}

	@Test
	void capsTheBody() {
		assertThatThrownBy(() -> http(HostResolver.system()).get("http://127.0.0.1:" + allowed.getAddress().getPort()
				+ "/big")).isInstanceOf(PinnedHttp.TooLarge.class).hasMessageContaining("more than 1024 bytes");
	}

}
