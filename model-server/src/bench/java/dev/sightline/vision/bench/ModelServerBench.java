package dev.sightline.vision.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenTensors;
import dev.sightline.vision.qwen.QwenVl;
import dev.sightline.vision.qwen.config.QwenConfig;
import dev.sightline.modelserver.ModelServer;
import dev.sightline.modelserver.ServerOptions;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * {@code ./sightline bench model-server [--json] [--tokens N] [--requests N] [--clients 1,4,16] [--repeat N]
 * [--prefix-cache-mb N] [--dtype D] [--device D]}: the model server over loopback HTTP with N concurrent streaming clients, against
 * {@link ModelBench}'s random-weight 3B-width checkpoint (with the real Qwen2.5 tokenizer). Reports requests/s, time
 * to first token and aggregate decode tokens/s per client count, and the N-vs-1 ratio that shows whether decode
 * steps are batched. Every client count runs once per round, rounds repeated {@code --repeat} times (default 3):
 * figures are medians over rounds and each ratio is taken within its round, so a machine whose speed drifts
 * between rounds (shared CPUs) does not skew it.
 */
public final class ModelServerBench {

	private static final ObjectMapper JSON = new ObjectMapper();

	private ModelServerBench() {
	}

	public static void main(String[] args) throws Exception {
		List<String> list = Arrays.asList(args);
		// --agent: simulated agents with growing conversations, prefix cache off and on (AgentServeBench).
		(list.contains("--agent") ? AgentServeBench.run(list) : run(list)).print(System.out, list.contains("--json"));
	}

	static BenchReport run(List<String> args) throws Exception {
		int tokens = Integer.parseInt(option(args, "--tokens", "16"));
		int requests = Integer.parseInt(option(args, "--requests", "2"));
		int repeat = Integer.parseInt(option(args, "--repeat", "3"));
		if (repeat < 1) {
			throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
		}
		List<Integer> clientCounts = Arrays.stream(option(args, "--clients", "1,4,16").split(","))
			.map(String::strip)
			.map(Integer::parseInt)
			.toList();
		// As serve-model runs by default: its prefix cache on (1024 MB), which requests that share only the chat
		// template's system prompt reuse too; --prefix-cache-mb 0 measures without it.
		long cacheMb = Long.parseLong(option(args, "--prefix-cache-mb", "1024"));
		LoadOptions load = LoadOptions.DEFAULTS.withComputeType(ComputeType.parse(option(args, "--dtype", "auto")))
			.withDevice(new DevicePolicy(option(args, "--device", "auto")))
			.withPrefixCacheBytes(PrefixCache.megabytes(cacheMb));
		BenchReport report = new BenchReport("model-server");
		report.setting("prefix_cache_mb", String.valueOf(cacheMb));
		Path dir = Files.createTempDirectory("sightline-bench-model-server");
		try {
			writeCheckpoint(dir);
			try (QwenVl model = QwenVl.load(dir, load);
					ModelServer server = ModelServer.start(ServerOptions.defaults(dir.toString()).withPort(0)
						.withMaxQueue(256), model, "bench-3b-width")) {
				HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				URI url = URI.create(server.baseUrl() + "/chat/completions");
				// Warm-up: JIT, libtorch kernels, allocator.
				for (int i = 0; i < 2; i++) {
					stream(http, url, tokens, i, null);
				}
				report.setting("runtime", model.model().runtime().describe());
				Map<Integer, List<Result>> results = new java.util.LinkedHashMap<>();
				Map<Integer, List<Double>> ratios = new java.util.LinkedHashMap<>();
				for (int round = 0; round < repeat; round++) {
					double single = 0;
					for (int clients : clientCounts) {
						Result result = measure(http, url, clients, requests, tokens);
						results.computeIfAbsent(clients, c -> new ArrayList<>()).add(result);
						if (clients == 1) {
							single = result.tokensPerSecond();
						}
						else if (single > 0) {
							ratios.computeIfAbsent(clients, c -> new ArrayList<>()).add(result.tokensPerSecond() / single);
						}
					}
				}
				for (Map.Entry<Integer, List<Result>> entry : results.entrySet()) {
					List<Result> rounds = entry.getValue();
					String name = "clients=" + entry.getKey() + " batch<=" + server.scheduler().maxBatch();
					report.add(name, "requests_per_s",
							BenchReport.median(rounds.stream().mapToDouble(r -> r.requests / r.wallSeconds).toArray()),
							"1/s");
					report.add(name, "ttft_median",
							BenchReport.median(rounds.stream().mapToDouble(r -> BenchReport.median(r.ttftMs)).toArray()),
							"ms");
					report.add(name, "ttft_p90", BenchReport.median(
							rounds.stream().mapToDouble(r -> BenchReport.percentile(r.ttftMs, 90)).toArray()), "ms");
					report.add(name, "decode_tokens_per_s",
							BenchReport.median(rounds.stream().mapToDouble(Result::tokensPerSecond).toArray()), "tok/s");
					List<Double> ratio = ratios.get(entry.getKey());
					if (ratio != null) {
						double[] values = ratio.stream().mapToDouble(Double::doubleValue).toArray();
						report.add(name, "tokens_per_s_vs_1_client", BenchReport.median(values), "ratio");
						report.add(name, "tokens_per_s_vs_1_client_min", java.util.Arrays.stream(values).min().orElse(0),
								"ratio");
					}
					report.add(name, "decode_gap_max",
							BenchReport.median(rounds.stream().mapToDouble(Result::maxGapMs).toArray()), "ms");
				}
				var cache = model.prefixCacheStats();
				report.add("all requests", "prefix_cache_hit_share",
						cache.lookupTokens() == 0 ? 0 : cache.hitTokens() / (double) cache.lookupTokens(), "ratio");
				imageArrival(http, url, tokens, report);
			}
			return report;
		}
		finally {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}

	private record Result(int requests, long completionTokens, double wallSeconds, double[] ttftMs, double maxGapMs) {

		double tokensPerSecond() {
			return completionTokens / wallSeconds;
		}

	}

	/** @param maxGapMs longest wait between two streamed pieces after the first */
	private record Streamed(double ttftMs, int completionTokens, double maxGapMs) {
	}

	/**
	 * One client decodes while a 1280×720 screenshot request arrives: the longest gap between its streamed pieces
	 * shows how long the new request's vision encode stalls it (spread over steps, not all at once), beside the
	 * gap with no image.
	 */
	private static void imageArrival(HttpClient http, URI url, int tokens, BenchReport report) throws Exception {
		java.util.concurrent.CountDownLatch firstToken = new java.util.concurrent.CountDownLatch(1);
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<Streamed> running = pool.submit(() -> stream(http, url, tokens * 4, 900_000, firstToken::countDown));
			firstToken.await();
			long start = System.nanoTime();
			String body = JSON.writeValueAsString(Map.of("max_tokens", 1, "messages", List.of(Map.of("role", "user",
					"content", List.of(Map.of("type", "image_url", "image_url", Map.of("url", screenshotDataUrl())),
							Map.of("type", "text", "text", "Where is the search box?"))))));
			HttpResponse<String> image = http.send(HttpRequest.newBuilder(url)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (image.statusCode() != 200) {
				throw new IOException("model server answered HTTP " + image.statusCode() + ": " + image.body());
			}
			double imageMs = (System.nanoTime() - start) / 1e6;
			Streamed decoding = running.get();
			report.add("image arrives while 1 client decodes", "image_request", imageMs, "ms");
			report.add("image arrives while 1 client decodes", "decode_gap_max", decoding.maxGapMs(), "ms");
		}
	}

	private static String screenshotDataUrl() throws IOException {
		java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(1280, 720,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		java.util.SplittableRandom random = new java.util.SplittableRandom(11);
		for (int y = 0; y < 720; y++) {
			for (int x = 0; x < 1280; x++) {
				image.setRGB(x, y, random.nextInt(1 << 24));
			}
		}
		java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(image, "png", png);
		return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png.toByteArray());
	}

	private static Result measure(HttpClient http, URI url, int clients, int requestsPerClient, int tokens)
			throws Exception {
		List<Streamed> done = Collections.synchronizedList(new ArrayList<>());
		long start = System.nanoTime();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> futures = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				int client = c;
				futures.add(pool.submit(() -> {
					for (int r = 0; r < requestsPerClient; r++) {
						done.add(stream(http, url, tokens, client * 1000 + r, null));
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		double wall = (System.nanoTime() - start) / 1e9;
		long completion = done.stream().mapToLong(Streamed::completionTokens).sum();
		return new Result(done.size(), completion, wall, done.stream().mapToDouble(Streamed::ttftMs).toArray(),
				done.stream().mapToDouble(Streamed::maxGapMs).max().orElse(0));
	}

	/** One streaming request; distinct prompts so no two requests are identical. */
	private static Streamed stream(HttpClient http, URI url, int tokens, int id, Runnable onFirstToken)
			throws IOException, InterruptedException {
		String body = JSON.writeValueAsString(Map.of("max_tokens", tokens, "stream", true, "stream_options",
				Map.of("include_usage", true), "messages", List.of(Map.of("role", "user", "content",
						"Request " + id + ": where is the search box on this page?"))));
		long start = System.nanoTime();
		HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() != 200) {
			throw new IOException("model server answered HTTP " + response.statusCode());
		}
		double ttftMs = -1;
		int completion = 0;
		long lastPiece = 0;
		double maxGapMs = 0;
		try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
					continue;
				}
				JsonNode chunk = JSON.readTree(line.substring(6));
				if (!chunk.at("/choices/0/delta/content").asString("").isEmpty()) {
					long now = System.nanoTime();
					if (ttftMs < 0) {
						ttftMs = (now - start) / 1e6;
						if (onFirstToken != null) {
							onFirstToken.run();
						}
					}
					else {
						maxGapMs = Math.max(maxGapMs, (now - lastPiece) / 1e6);
					}
					lastPiece = now;
				}
				if (chunk.has("usage")) {
					completion = chunk.at("/usage/completion_tokens").asInt();
				}
			}
		}
		if (ttftMs < 0 && onFirstToken != null) {
			onFirstToken.run();
		}
		return new Streamed(ttftMs < 0 ? (System.nanoTime() - start) / 1e6 : ttftMs, completion, maxGapMs);
	}

	/** ModelBench's random 3B-width checkpoint plus the real Qwen2.5 tokenizer (the vocabularies match). */
	static void writeCheckpoint(Path dir) throws IOException {
		Map<String, Object> configJson = ModelBench.config();
		QwenConfig config = ModelBench.parseConfig(configJson);
		RandomCheckpoint.write(dir, configJson, QwenTensors.expected(config), 42);
		try (InputStream gz = ModelServerBench.class.getResourceAsStream("/tokenizer/qwen2.5/tokenizer.json.gz")) {
			if (gz == null) {
				throw new IOException("the bundled tokenizer /tokenizer/qwen2.5/tokenizer.json.gz is missing");
			}
			Files.copy(new GZIPInputStream(gz), dir.resolve("tokenizer.json"));
		}
	}

	private static String option(List<String> args, String name, String fallback) {
		int at = args.indexOf(name);
		return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : fallback;
	}

}
