package dev.sightline.agent.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.vision.bench.BenchReport;

/**
 * {@code ./sightline bench scale-out [--json] [--tasks N] [--clicks N] [--workers 1,3] [--concurrency N]
 * [--model-latency-ms MS] [--max-seconds S]}: Redis mode end to end on loopback. A local redis-server, one API JVM and
 * 1 then 3 worker JVMs (real Chromium each, a one-button page on 127.0.0.1, a scripted model: {@code clicks} clicks
 * then terminate, each answer after {@code model-latency-ms}, default 0 — a model server with room for every call
 * that takes that long per call, as a GPU server does, rather than one that is the bottleneck). All tasks are submitted through the API at once; the bench reports throughput (tasks/s from the
 * first submit to the last final state), queue wait (startedAt − createdAt) p50/p99, and checks from Redis that every
 * task reached exactly one final state and no step number was recorded twice. The whole run stops at
 * {@code --max-seconds} (default 300): a phase that runs out of time reports the tasks it finished.
 */
public final class ScaleOutBench {

	private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled", "timed_out");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** What the command line asked for. */
	record Options(boolean json, int tasks, int clicks, List<Integer> workers, int concurrency, int modelLatencyMs,
			int maxSeconds) {

		static Options parse(String[] args) {
			boolean json = false;
			int tasks = 1000;
			int clicks = 2;
			List<Integer> workers = List.of(1, 3);
			int concurrency = 4;
			int modelLatencyMs = 0;
			int maxSeconds = 300;
			for (int i = 0; i < args.length; i++) {
				String value = i + 1 < args.length ? args[i + 1] : "";
				switch (args[i]) {
					case "--json" -> json = true;
					case "--tasks" -> tasks = bounded("--tasks", value, 1, 100_000);
					case "--clicks" -> clicks = bounded("--clicks", value, 0, 8);
					case "--concurrency" -> concurrency = bounded("--concurrency", value, 1, 64);
					case "--model-latency-ms" -> modelLatencyMs = bounded("--model-latency-ms", value, 0, 60_000);
					case "--max-seconds" -> maxSeconds = bounded("--max-seconds", value, 30, 3600);
					case "--workers" -> workers = List.of(value.split(","))
						.stream()
						.map(count -> bounded("--workers", count, 1, 8))
						.toList();
					default -> {
						continue;
					}
				}
				if (!args[i].equals("--json")) {
					i++;
				}
			}
			return new Options(json, tasks, clicks, workers, concurrency, modelLatencyMs, maxSeconds);
		}

		private static int bounded(String option, String value, int min, int max) {
			int parsed;
			try {
				parsed = Integer.parseInt(value.strip());
			}
			catch (NumberFormatException e) {
				throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'");
			}
			if (parsed < min || parsed > max) {
				throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + parsed);
			}
			return parsed;
		}

	}

	/** The outcome of one phase (one worker count). */
	record Phase(int workers, int submitted, int finished, double seconds, double[] queueWaitMs, int notFinal,
			int duplicatedFinals, int duplicatedSteps, int failed, int requeues, boolean timedOut) {

		double tasksPerSecond() {
			return finished / seconds;
		}

	}

	private ScaleOutBench() {
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		BenchReport report = new BenchReport("scale-out");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.maxSeconds());
		Path dir = Files.createTempDirectory("sightline-scale-out");
		HttpServer page = page();
		List<Phase> phases = new ArrayList<>();
		Exception failure = null;
		try (LocalRedisServer redis = LocalRedisServer.start(dir);
				BenchModelEndpoint model = BenchModelEndpoint.start(options.clicks(), options.modelLatencyMs())) {
			for (int i = 0; i < options.workers().size(); i++) {
				// Each phase may use an equal share of the time left, so the last one is not starved.
				long share = (deadline - System.nanoTime()) / (options.workers().size() - i);
				Phase phase = runPhase(options, options.workers().get(i), redis, model, page, dir.resolve("phase" + i),
						System.nanoTime() + share);
				phases.add(phase);
				String name = phase.workers() + (phase.workers() == 1 ? " worker" : " workers");
				report.add(name, "tasks_finished", phase.finished(), "tasks");
				report.add(name, "tasks_submitted", phase.submitted(), "tasks");
				report.add(name, "throughput", phase.tasksPerSecond(), "tasks/s");
				if (phase.queueWaitMs().length > 0) {
					report.add(name, "queue_wait_p50", BenchReport.median(phase.queueWaitMs()), "ms");
					report.add(name, "queue_wait_p99", BenchReport.percentile(phase.queueWaitMs(), 99), "ms");
				}
				report.add(name, "not_final", phase.notFinal(), "tasks");
				report.add(name, "duplicated_finals", phase.duplicatedFinals(), "tasks");
				report.add(name, "duplicated_steps", phase.duplicatedSteps(), "steps");
				report.add(name, "failed", phase.failed(), "tasks");
				report.add(name, "requeues", phase.requeues(), "tasks");
				report.add(name, "hit_time_limit", phase.timedOut() ? 1 : 0, "bool");
			}
		}
		catch (RuntimeException | IOException e) {
			// The phases that ran still report; the failure is named after them.
			failure = e;
		}
		finally {
			page.stop(0);
		}
		if (phases.size() >= 2) {
			Phase first = phases.getFirst();
			Phase last = phases.getLast();
			report.add(first.workers() + " -> " + last.workers() + " workers", "scaling",
					last.tasksPerSecond() / first.tasksPerSecond(), "x");
		}
		report.print(System.out, options.json());
		System.err.println("replica logs: " + dir);
		if (failure != null) {
			throw failure;
		}
	}

	private static Phase runPhase(Options options, int workers, LocalRedisServer redis, BenchModelEndpoint model,
			HttpServer page, Path dir, long deadline) throws Exception {
		Files.createDirectories(dir);
		String prefix = "bench" + workers + "w" + System.nanoTime();
		String hostPort = "127.0.0.1:" + page.getAddress().getPort();
		int apiPort = ReplicaProcess.freePort();
		List<ReplicaProcess> replicas = new ArrayList<>();
		StringRedisTemplate template = redis.template();
		try {
			Map<String, Object> api = properties(options, redis, prefix, "api", model, hostPort, dir.resolve("api"));
			api.put("server.port", apiPort);
			ReplicaProcess apiReplica = ReplicaProcess.start(api, dir.resolve("api.log"));
			replicas.add(apiReplica);
			for (int i = 0; i < workers; i++) {
				replicas.add(ReplicaProcess.start(properties(options, redis, prefix, "worker", model, hostPort,
						dir.resolve("worker" + i)), dir.resolve("worker" + i + ".log")));
			}
			apiReplica.awaitLog("Started SightlineApplication", deadline);
			for (ReplicaProcess worker : replicas.subList(1, replicas.size())) {
				worker.awaitLog(" as group workers", deadline);
			}
			String base = "http://127.0.0.1:" + apiPort;
			String url = "http://" + hostPort + "/";
			String finished = prefix + ":finished";
			// Warm-up, not measured: starts each worker's Chromium and warms the JITs of every JVM.
			List<String> warmUp = submitAll(base, url, workers * options.concurrency());
			awaitFinished(template, finished, warmUp.size(), deadline);

			long startNanos = System.nanoTime();
			List<String> ids = submitAll(base, url, options.tasks());
			boolean complete = awaitFinished(template, finished, warmUp.size() + ids.size(), deadline);
			double seconds = (System.nanoTime() - startNanos) / 1e9;
			return check(template, prefix, base, ids, workers, seconds, !complete);
		}
		finally {
			replicas.reversed().forEach(ReplicaProcess::close);
		}
	}

	private static Map<String, Object> properties(Options options, LocalRedisServer redis, String prefix, String role,
			BenchModelEndpoint model, String hostPort, Path storeDir) throws IOException {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("sightline.mode", "redis");
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", redis.port());
		properties.put("sightline.redis.key-prefix", prefix);
		properties.put("sightline.role", role);
		properties.put("server.port", 0);
		properties.put("sightline.redis.poll-interval-ms", 20);
		properties.put("sightline.model.backend", "openai");
		properties.put("sightline.model.base-url", model.baseUrl());
		properties.put("sightline.model.max-retries", 0);
		properties.put("sightline.browser.allowed-hosts", hostPort);
		properties.put("sightline.store.dir", Files.createDirectories(storeDir).toString());
		properties.put("sightline.agent.settle-ms", 0);
		properties.put("sightline.agent.concurrency", options.concurrency());
		properties.put("sightline.agent.model-concurrency", options.concurrency());
		// The bench is the only client: it submits every task at once and polls.
		properties.put("sightline.agent.queue-capacity", 100_000);
		properties.put("sightline.security.max-active-tasks", 100_000);
		properties.put("sightline.security.requests-per-minute", 1_000_000);
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.dev.sightline.agent.SightlineApplication", "INFO");
		properties.put("logging.level.dev.sightline.agent.redis.RedisTaskQueue", "INFO");
		return properties;
	}

	private static List<String> submitAll(String base, String url, int count) throws Exception {
		String body = """
				{"goal": "Press the button", "target": {"type": "browser", "url": "%s"}, "maxSteps": 20}"""
			.formatted(url);
		try (ExecutorService submitters = Executors.newFixedThreadPool(8)) {
			List<Future<String>> ids = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				ids.add(submitters.submit(() -> {
					HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tasks"))
						.timeout(Duration.ofSeconds(30))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(body))
						.build(), HttpResponse.BodyHandlers.ofString());
					if (response.statusCode() != 202) {
						throw new IllegalStateException("POST /api/v1/tasks answered " + response.statusCode() + ": "
								+ response.body());
					}
					return JSON.readTree(response.body()).get("id").asString();
				}));
			}
			List<String> result = new ArrayList<>();
			for (Future<String> id : ids) {
				result.add(id.get());
			}
			return result;
		}
	}

	/** Waits until {@code count} tasks are final; false when the deadline came first. */
	private static boolean awaitFinished(StringRedisTemplate template, String finishedKey, int count, long deadline)
			throws InterruptedException {
		while (System.nanoTime() < deadline) {
			Long finished = template.opsForZSet().zCard(finishedKey);
			if (finished != null && finished >= count) {
				return true;
			}
			Thread.sleep(100);
		}
		return false;
	}

	private static Phase check(StringRedisTemplate template, String prefix, String base, List<String> ids, int workers,
			double seconds, boolean timedOut) throws Exception {
		List<Double> waits = new ArrayList<>();
		int finished = 0;
		int notFinal = 0;
		int duplicatedFinals = 0;
		int duplicatedSteps = 0;
		int failed = 0;
		int requeues = 0;
		for (String id : ids) {
			JsonNode task = JSON.readTree(get(base, "/api/v1/tasks/" + id));
			String status = task.path("status").asString();
			List<MapRecord<String, Object, Object>> events = template.opsForStream()
				.range(prefix + ":events:" + id, Range.unbounded());
			long finals = events == null ? 0
					: events.stream().filter(event -> "finished".equals(event.getValue().get("type"))).count();
			if (!FINAL.contains(status)) {
				notFinal++;
				continue;
			}
			finished++;
			duplicatedFinals += finals == 1 ? 0 : 1;
			failed += status.equals("succeeded") ? 0 : 1;
			requeues += task.path("requeues").asInt() > 0 ? 1 : 0;
			if (!task.path("startedAt").isNull() && !task.path("startedAt").isMissingNode()) {
				waits.add((double) Duration.between(Instant.parse(task.path("createdAt").asString()),
						Instant.parse(task.path("startedAt").asString())).toMillis());
			}
			Set<Integer> numbers = new HashSet<>();
			for (JsonNode step : JSON.readTree(get(base, "/api/v1/tasks/" + id + "/steps"))) {
				duplicatedSteps += numbers.add(step.path("n").asInt()) ? 0 : 1;
			}
		}
		return new Phase(workers, ids.size(), finished, seconds,
				waits.stream().mapToDouble(Double::doubleValue).toArray(), notFinal, duplicatedFinals, duplicatedSteps,
				failed, requeues, timedOut);
	}

	private static String get(String base, String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
					+ response.body());
		}
		return response.body();
	}

	/** A page with one button near the top left, where the scripted model clicks. */
	private static HttpServer page() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		server.createContext("/", exchange -> {
			byte[] html = ("<!doctype html><title>Button</title><button style='font:32px sans-serif' "
					+ "onclick='this.textContent++'>0</button>").getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, html.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(html);
			}
		});
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.start();
		return server;
	}

}
