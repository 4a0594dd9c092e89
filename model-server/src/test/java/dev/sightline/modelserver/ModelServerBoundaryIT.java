package dev.sightline.modelserver;

import dev.sightline.vision.batching.ScriptedVisionModel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import tools.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.sightline.net.HostResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model server's trust boundary: remote images on a resolver-pinned connection (DNS rebinding between check and
 * connect cannot redirect it), time and byte limits on a fetch, pixel limits on requests, {@code /metrics} behind
 * the key.
 */
class ModelServerBoundaryIT {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final ScriptedVisionModel model = new ScriptedVisionModel(List.of("ok"));

	private HttpServer images;

	/** Listens on a second loopback address, on the image server's port: where a rebound name would lead. */
	private HttpServer observer;

	private final AtomicInteger observerHits = new AtomicInteger();

	private ModelServer server;

	@BeforeEach
	void startImageServers() throws IOException {
		byte[] png = ModelServerIT.png(56, 56);
		images = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
		images.createContext("/screen.png", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "image/png");
			exchange.sendResponseHeaders(200, png.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(png);
			}
		});
		images.createContext("/big.png", exchange -> {
			exchange.sendResponseHeaders(200, 0);
			try (OutputStream out = exchange.getResponseBody()) {
				for (int i = 0; i < 64; i++) {
					out.write(new byte[16 * 1024]);
				}
			}
			catch (IOException ex) {
				// The fetcher stops reading at its cap.
			}
		});
		images.createContext("/slow.png", exchange -> {
			exchange.sendResponseHeaders(200, 0);
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.close();
		});
		images.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
		images.start();
		observer = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port()), 8);
		observer.createContext("/", exchange -> {
			observerHits.incrementAndGet();
			exchange.sendResponseHeaders(200, png.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(png);
			}
		});
		observer.start();
	}

	@AfterEach
	void stop() {
		if (server != null) {
			server.close();
		}
		images.stop(0);
		observer.stop(0);
	}

	private int port() {
		return images.getAddress().getPort();
	}

	private ModelServer start(ServerOptions options, HostResolver resolver) {
		server = ModelServer.start(options.withPort(0), model, "tiny-a", resolver);
		return server;
	}

	private static ServerOptions remoteImages(String... hosts) {
		return ServerOptions.defaults("unused").withAllowRemoteImages(true).withImageHosts(List.of(hosts));
	}

	@Test
	void aRebindingNameIsResolvedOnceAndFetchedFromTheCheckedAddress() throws Exception {
		AtomicInteger lookups = new AtomicInteger();
		// Allowed on the first answer, the observer's address on every later one.
		HostResolver rebinding = name -> {
			if (!name.equals("images.test")) {
				throw new UnknownHostException(name);
			}
			return List.of(InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2"));
		};
		start(remoteImages("127.0.0.1:" + port()), rebinding);

		HttpResponse<String> response = post(imageRequest("http://images.test:" + port() + "/screen.png"));

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(lookups).as("one lookup per hop").hasValue(1);
		assertThat(observerHits).hasValue(0);

		HttpResponse<String> rebound = post(imageRequest("http://images.test:" + port() + "/screen.png"));
		assertThat(rebound.statusCode()).isEqualTo(400);
		assertThat(message(rebound)).contains("not on the allow list");
		assertThat(observerHits).hasValue(0);
	}

	@Test
	void aListedCidrAdmitsItsAddressesAndNoOthers() throws Exception {
		start(remoteImages("127.0.0.1/32"), HostResolver.system());
		assertThat(post(imageRequest("http://127.0.0.1:" + port() + "/screen.png")).statusCode()).isEqualTo(200);
		HttpResponse<String> other = post(imageRequest("http://127.0.0.2:" + port() + "/screen.png"));
		assertThat(message(other)).contains("not on the allow list");
		assertThat(observerHits).hasValue(0);
	}

	@Test
	void aFetchStopsAtTheByteCapWithoutReadingTheRest() throws Exception {
		start(remoteImages("127.0.0.1:" + port()).withLimits(64 * 1024, 16), HostResolver.system());
		HttpResponse<String> response = post(imageRequest("http://127.0.0.1:" + port() + "/big.png"));

		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(message(response)).contains("exceeds 65536 bytes");
	}

	@Test
	void aServerThatStopsSendingTimesOut() throws Exception {
		start(remoteImages("127.0.0.1:" + port()), HostResolver.system());
		long startNs = System.nanoTime();
		HttpResponse<String> response = post(imageRequest("http://127.0.0.1:" + port() + "/slow.png"));
		long tookMs = (System.nanoTime() - startNs) / 1_000_000;

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(message(response)).contains("timed out");
		assertThat(tookMs).isLessThan(ImageSource.READ_TIMEOUT.toMilliseconds() + 5_000);
	}

	@Test
	void pixelBudgetsBeyondTheServerLimitAreRefusedNamingTheLimit() throws Exception {
		start(ServerOptions.defaults("unused"), HostResolver.system());
		String data = "data:image/png;base64," + Base64.getEncoder().encodeToString(ModelServerIT.png(28, 28));
		for (String field : List.of("min_pixels", "max_pixels")) {
			HttpResponse<String> response = post("""
					{"messages": [{"role": "user", "content": [
					  {"type": "image_url", "image_url": {"url": "%s", "%s": 1000000000000}},
					  {"type": "text", "text": "Where?"}]}]}""".formatted(data, field));
			assertThat(response.statusCode()).as(field).isEqualTo(400);
			assertThat(message(response)).contains(field).contains("limit of " + ChatRequestParser.MAX_REQUEST_PIXELS);
		}
		assertThat(model.received).isEmpty();
		HttpResponse<String> within = post("""
				{"messages": [{"role": "user", "content": [
				  {"type": "image_url", "image_url": {"url": "%s", "max_pixels": 200704}},
				  {"type": "text", "text": "Where?"}]}]}""".formatted(data));
		assertThat(within.statusCode()).as(within.body()).isEqualTo(200);
	}

	@Test
	void metricsNeedTheApiKeyWhenOneIsSet() throws Exception {
		start(ServerOptions.defaults("unused").withApiKey("s3cret"), HostResolver.system());
		URI metrics = URI.create("http://127.0.0.1:" + server.port() + "/metrics");

		assertThat(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(401);
		HttpResponse<String> authorized = http.send(
				HttpRequest.newBuilder(metrics).header("Authorization", "Bearer s3cret").build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(authorized.statusCode()).isEqualTo(200);
		assertThat(authorized.body()).contains("sightline_model_queue_depth");
		URI health = URI.create("http://127.0.0.1:" + server.port() + "/health");
		assertThat(http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).as("probes stay open").isEqualTo(200);
	}

	@Test
	void refusesToListenBeyondLoopbackWithoutAKey() {
		ServerOptions open = new ServerOptions("unused", "0.0.0.0", 0, java.util.Optional.empty(),
				java.util.Optional.empty(), 4, 4, 512, 1 << 20, 4, 16, false, List.of());
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(open, HostResolver.system()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("0.0.0.0")
			.hasMessageContaining("--api-key");
	}

	private static String imageRequest(String url) {
		return """
				{"messages": [{"role": "user", "content": [
				  {"type": "image_url", "image_url": {"url": "%s"}}, {"type": "text", "text": "Where?"}]}]}"""
			.formatted(url);
	}

	private static String message(HttpResponse<String> response) throws IOException {
		return JSON.readTree(response.body()).at("/error/message").asString();
	}

	private HttpResponse<String> post(String body) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/chat/completions"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
