package dev.sightline.agent.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.loop.AgentLoop;
import dev.sightline.agent.loop.DefaultTargetOpener;
import dev.sightline.agent.loop.LoopMetrics;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.model.ModelState;
import dev.sightline.agent.security.SecretHandOff;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.approval.ApprovalRules;
import dev.sightline.agent.approval.LocalApprovalGate;
import dev.sightline.agent.task.TaskLifecycle;
import dev.sightline.agent.store.ArtifactStore;
import dev.sightline.agent.store.JdbcTaskStore;
import dev.sightline.agent.task.CancelSignals;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.browser.BrowserPool;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.bench.BenchReport;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * {@code ./sightline bench agent [--json] [--steps N]}: the loop's own cost per step at 1280x720 (screenshot +
 * preprocess + prompt + parse + execute + record), model time excluded. Runs the real {@link AgentLoop} on real
 * Chromium, the embedded H2 store and a local page; only the model is scripted (it answers at once with a click on
 * the page's button, then terminate). Pauses between steps ({@code settle-ms}) are off: they are waits, not work.
 */
public final class AgentBench {

	private static final String PAGE = """
			<!doctype html><html><head><style>body{margin:0;font:20px sans-serif}
			button{position:absolute;left:400px;top:250px;width:480px;height:220px;font:32px sans-serif}</style></head>
			<body><h1>Counter</h1><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>
			<button onclick="this.textContent = 'Clicked ' + (++window.n || (window.n = 1))">Click me</button>
			</body></html>""";

	private AgentBench() {
	}

	public static void main(String[] args) throws Exception {
		boolean json = List.of(args).contains("--json");
		int steps = 40;
		for (int i = 0; i + 1 < args.length; i++) {
			if (args[i].equals("--steps")) {
				steps = Integer.parseInt(args[i + 1]);
			}
		}
		BenchReport report = run(steps);
		report.print(System.out, json);
	}

	static BenchReport run(int steps) throws Exception {
		Path dir = Files.createTempDirectory("sightline-agent-bench");
		HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
		site.createContext("/", exchange -> {
			byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		site.start();
		String hostPort = "127.0.0.1:" + site.getAddress().getPort();
		JsonMapper json = JsonMapper.builder().build();
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:file:" + dir.resolve("sightline") + ";DB_CLOSE_DELAY=-1");
		// Pooled, as the service's Spring Boot data source is: a bare JdbcDataSource opens an H2 session for every
		// statement, which the service never pays.
		HikariConfig pooled = new HikariConfig();
		pooled.setDataSource(h2);
		pooled.setMaximumPoolSize(4);
		pooled.setPoolName("agent-bench");
		HikariDataSource dataSource = new HikariDataSource(pooled);
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		JdbcTaskStore store = new JdbcTaskStore(JdbcClient.create(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
				new ArtifactStore(dir.resolve("artifacts")), json);
		TaskEvents events = new TaskEvents(store);
		AgentSettings settings = new AgentSettings(1, 1, steps + 1, 600, 0, 8, 1, 1, 0, true);
		BenchReport report = new BenchReport("agent");
		try (BrowserPool pool = new BrowserPool()) {
			DefaultTargetOpener opener = new DefaultTargetOpener(pool,
					new BrowserSettings(List.of(hostPort), List.of(), 1280, 720), dir.resolve("downloads"));
			ScriptedBackend model = new ScriptedBackend();
			SecretVault secrets = new SecretVault();
			AgentLoop loop = new AgentLoop(new AgentLoop.Parts(store, events, model, opener, secrets,
					new CancelSignals(), new TaskLifecycle(store, events, secrets, SecretHandOff.inProcess()), settings,
					new LoopMetrics(new SimpleMeterRegistry()), json, ApprovalRules.NONE, new LocalApprovalGate(), 0,
					SecretHandOff.inProcess()));
			// A first task warms the JIT, the browser and the database; it is not measured.
			model.script(10);
			runTask(loop, store, events, json, "http://" + hostPort + "/", 10);
			model.script(steps);
			List<double[]> phases = runTask(loop, store, events, json, "http://" + hostPort + "/", steps);
			String[] names = { "screenshot", "preprocess", "prompt", "parse", "execute", "record" };
			double[] overhead = phases.stream().mapToDouble(p -> java.util.Arrays.stream(p).sum()).toArray();
			String caseName = "1280x720 -> 1288x728";
			report.add(caseName, "overhead_p50", BenchReport.median(overhead), "ms");
			report.add(caseName, "overhead_p95", BenchReport.percentile(overhead, 95), "ms");
			for (int i = 0; i < names.length; i++) {
				int phase = i;
				report.add(caseName, names[i] + "_p50",
						BenchReport.median(phases.stream().mapToDouble(p -> p[phase]).toArray()), "ms");
			}
			report.add(caseName, "steps", overhead.length, "steps");
		}
		finally {
			site.stop(0);
			dataSource.close();
			deleteQuietly(dir);
		}
		return report;
	}

	/** Runs one task of {@code steps} clicks plus a terminate; returns each click step's phase times. */
	private static List<double[]> runTask(AgentLoop loop, JdbcTaskStore store, TaskEvents events, JsonMapper json,
			String url, int steps) {
		TaskSpec spec = new TaskSpec("Click the button " + steps + " times", new TaskTarget.Browser(url, null, null),
				steps + 1, 600, 0, null, List.of(), List.of());
		Task task = new Task(UUID.randomUUID().toString(), "bench", TaskStatus.QUEUED, spec, Instant.now(), null, null,
				0, null, 0);
		store.create(task);
		List<double[]> phases = new ArrayList<>();
		Runnable unsubscribe = events.subscribe(task.id(), event -> {
			if (event.type().equals("step_finished")) {
				JsonNode timings = json.readTree(event.dataJson()).get("timings");
				if (timings.get("executeMs").asDouble() > 0) {
					phases.add(new double[] { timings.get("screenshotMs").asDouble(),
							timings.get("preprocessMs").asDouble(), timings.get("promptMs").asDouble(),
							timings.get("parseMs").asDouble(), timings.get("executeMs").asDouble(),
							timings.get("recordMs").asDouble() });
				}
			}
		});
		try {
			loop.run(task.id());
		}
		finally {
			unsubscribe.run();
		}
		Task done = store.find(task.id()).orElseThrow();
		if (done.status() != TaskStatus.SUCCEEDED) {
			throw new IllegalStateException("bench task ended " + done.status().wireName() + ": " + done.message());
		}
		return phases;
	}

	/** The bench's scripted model: answers at once, clicking the button's centre, then terminates. */
	private static final class ScriptedBackend implements ModelBackend, VisionLanguageModel {

		private static final String CLICK = "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": "
				+ "{\"action\": \"left_click\", \"coordinate\": [644, 364]}}\n</tool_call>";

		private static final String TERMINATE = "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": "
				+ "{\"action\": \"terminate\", \"status\": \"success\"}}\n</tool_call>";

		private final AtomicInteger clicksLeft = new AtomicInteger();

		/** The next task gets {@code clicks} clicks, then a terminate. */
		void script(int clicks) {
			clicksLeft.set(clicks);
		}

		@Override
		public Generation generate(Conversation conversation, GenerationOptions options, TokenListener listener) {
			String text = clicksLeft.getAndDecrement() > 0 ? CLICK : TERMINATE;
			// What an in-process model reports: the size of each image as it patches it.
			List<ImageSize> seen = conversation.images()
				.stream()
				.map(image -> image.pixels().orElseThrow().size())
				.toList();
			return new Generation(text, List.of(), FinishReason.STOP, 0, seen, 0, 0, 0);
		}

		@Override
		public PixelBudget pixelBudget() {
			return new PixelBudget(3136, 1_003_520);
		}

		@Override
		public ModelProfile profile() {
			return ModelProfile.QWEN2_5_VL;
		}

		@Override
		public String name() {
			return "scripted";
		}

		@Override
		public ModelState state() {
			return ModelState.ready("scripted", "scripted");
		}

		@Override
		public VisionLanguageModel model() {
			return this;
		}

	}

	private static void deleteQuietly(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

}
