package dev.sightline.vision.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenVl;
import dev.sightline.modelserver.ModelServer;
import dev.sightline.modelserver.ServerOptions;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * {@code ./sightline bench model-server --agent [--agents N] [--steps N] [--history-images 0,3] [--tokens N]
 * [--prefix-cache-mb N] [--json]}: N simulated agents against the model server (the same random 3B-width checkpoint
 * as {@link ModelServerBench}), each sending step after step of an append-only conversation laid out as the agent
 * lays it out: system prompt with the tool schema and the goal, then per step a user turn with the new 1280×720
 * screenshot, the model's answer, and a user turn with the executed result. With {@code --history-images K} the
 * last K screenshots stay in the history; older ones are replaced by a line of text, K at a time (when 2K have
 * gathered), so the prompt changes behind the goal only every K-th step, not every step (K = 0: every screenshot
 * leaves the history as soon as the next one arrives). Two servers of the same checkpoint run side by side, the
 * prefix cache off and on, and every step goes to both one after the other (alternating which goes first), so the
 * time to first token of each step is paired on a machine whose speed drifts; the answers must agree. With one
 * agent, the cache counter's change over each step shows how much of step n's prompt step n+1 found cached.
 */
final class AgentServeBench {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** One answered step: its time to first token, tokens and prompt length, and the answer for the history. */
	private record Step(double ttftMs, int completionTokens, int promptTokens, String answer) {
	}

	/** One agent's conversation so far, as OpenAI chat messages. */
	private static final class Agent {

		private final List<Map<String, Object>> messages = new ArrayList<>();

		private final List<Integer> screenshotTurns = new ArrayList<>(); // indexes of user turns holding an image

		private final int id;

		private final int keepImages;

		Agent(int id, int keepImages) {
			this.id = id;
			this.keepImages = keepImages;
			messages.add(Map.of("role", "system", "content", systemPrompt()));
			messages.add(Map.of("role", "user", "content", "Goal (agent " + id
					+ "): sign in as alice@example.com, open Settings and switch the newsletter off."));
		}

		/** The next step's request: the history (trimmed as described above) plus a new screenshot. */
		List<Map<String, Object>> nextStep(int step) {
			if (screenshotTurns.size() >= Math.max(1, 2 * keepImages)) {
				// Drop the oldest screenshots down to K at once: the prompt then stays a prefix of the next K-1 steps.
				int drop = screenshotTurns.size() - keepImages;
				for (int turn : screenshotTurns.subList(0, drop)) {
					messages.set(turn, Map.of("role", "user", "content", "(screenshot of an earlier step omitted)"));
				}
				screenshotTurns.subList(0, drop).clear();
			}
			screenshotTurns.add(messages.size());
			messages.add(Map.of("role", "user", "content",
					List.of(Map.of("type", "image_url", "image_url", Map.of("url", screenshot(id, step))),
							Map.of("type", "text", "text", "Step " + step + ": what is the next action?"))));
			return List.copyOf(messages);
		}

		void answered(int step, String answer) {
			messages.add(Map.of("role", "assistant", "content", answer));
			messages.add(Map.of("role", "user", "content", "Result of step " + step
					+ ": the action was executed; the page changed (url https://app.example.com/step/" + step + ")."));
		}

	}

	private AgentServeBench() {
	}

	static BenchReport run(List<String> args) throws Exception {
		int agents = Integer.parseInt(option(args, "--agents", "2"));
		int steps = Integer.parseInt(option(args, "--steps", "5"));
		int tokens = Integer.parseInt(option(args, "--tokens", "16"));
		long cacheMb = Long.parseLong(option(args, "--prefix-cache-mb", "1024"));
		List<Integer> histories = Arrays.stream(option(args, "--history-images", "0,3").split(","))
			.map(String::strip)
			.map(Integer::parseInt)
			.toList();
		if (agents < 1 || steps < 2 || cacheMb < 1) {
			throw new IllegalArgumentException("--agents must be at least 1, --steps at least 2 and --prefix-cache-mb"
					+ " at least 1, got " + agents + ", " + steps + ", " + cacheMb);
		}
		LoadOptions load = LoadOptions.DEFAULTS.withComputeType(ComputeType.parse(option(args, "--dtype", "auto")))
			.withDevice(new DevicePolicy(option(args, "--device", "auto")));
		BenchReport report = new BenchReport("model-server-agent");
		report.setting("agents", String.valueOf(agents));
		report.setting("steps", String.valueOf(steps));
		report.setting("answer_tokens", String.valueOf(tokens));
		report.setting("prefix_cache_mb", String.valueOf(cacheMb));
		Path dir = Files.createTempDirectory("sightline-bench-agent");
		try {
			ModelServerBench.writeCheckpoint(dir);
			// Two servers of the same checkpoint, cache off and on: every step goes to both, one right after the
			// other, so a shared machine whose speed drifts affects both sides of each pair alike.
			try (QwenVl plainModel = QwenVl.load(dir, load);
					QwenVl cachedModel = QwenVl.load(dir, load.withPrefixCacheBytes(PrefixCache.megabytes(cacheMb)));
					ModelServer plain = ModelServer.start(ServerOptions.defaults(dir.toString()).withPort(0)
						.withMaxQueue(256), plainModel, "bench-3b-width");
					ModelServer cached = ModelServer.start(ServerOptions.defaults(dir.toString()).withPort(0)
						.withMaxQueue(256), cachedModel, "bench-3b-width")) {
				report.setting("runtime", plainModel.model().runtime().describe());
				HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				URI off = URI.create(plain.baseUrl() + "/chat/completions");
				URI on = URI.create(cached.baseUrl() + "/chat/completions");
				// Warm-up: JIT, libtorch kernels and the vision tower at the screenshot's size.
				send(http, off, new Agent(-1, 0).nextStep(0), 2);
				send(http, on, new Agent(-2, 0).nextStep(0), 2);
				for (int keep : histories) {
					// A cold cache for every history setting, like a fresh server.
					cachedModel.setPrefixCacheBytes(0);
					cachedModel.setPrefixCacheBytes(PrefixCache.megabytes(cacheMb));
					measure(http, off, on, cachedModel, agents, steps, keep, tokens, report);
				}
			}
			return report;
		}
		finally {
			try (Stream<Path> files = Files.walk(dir)) {
				files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		}
	}

	/** One step of one agent sent to both servers. */
	private record Pair(int step, Step off, Step on, long hitTokens) {
	}

	private static void measure(HttpClient http, URI off, URI on, QwenVl cachedModel, int agents, int steps, int keep,
			int tokens, BenchReport report) throws Exception {
		List<List<Pair>> perAgent = Collections.synchronizedList(new ArrayList<>());
		// The counter runs across history settings: this one's share is its own change.
		long hitsBefore = cachedModel.prefixCacheStats().hitTokens();
		long start = System.nanoTime();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<List<Pair>>> futures = new ArrayList<>();
			for (int a = 0; a < agents; a++) {
				int id = a;
				futures.add(pool.submit(() -> {
					Agent agent = new Agent(id, keep);
					List<Pair> taken = new ArrayList<>();
					for (int s = 1; s <= steps; s++) {
						List<Map<String, Object>> messages = agent.nextStep(s);
						// Alternate which server goes first, so neither always meets a warmer or cooler machine.
						boolean offFirst = (s + id) % 2 == 0;
						Step plainStep = offFirst ? send(http, off, messages, tokens) : null;
						long before = cachedModel.prefixCacheStats().hitTokens();
						Step cachedStep = send(http, on, messages, tokens);
						long hits = cachedModel.prefixCacheStats().hitTokens() - before;
						plainStep = offFirst ? plainStep : send(http, off, messages, tokens);
						Pair pair = new Pair(s, plainStep, cachedStep, hits);
						if (!pair.off().answer().equals(pair.on().answer())) {
							throw new IllegalStateException("step " + s + " of agent " + id
									+ " answered differently with the prefix cache: '" + pair.on().answer()
									+ "' against '" + pair.off().answer() + "'");
						}
						agent.answered(s, pair.off().answer());
						taken.add(pair);
					}
					return taken;
				}));
			}
			for (Future<List<Pair>> future : futures) {
				perAgent.add(future.get());
			}
		}
		double wallSeconds = (System.nanoTime() - start) / 1e9;
		List<Pair> pairs = perAgent.stream().flatMap(List::stream).toList();
		// Steps after the first: the first has nothing cached to reuse.
		List<Pair> later = pairs.stream().filter(p -> p.step() > 1).toList();
		String name = "history-images=" + keep;
		double[] offTtft = later.stream().mapToDouble(p -> p.off().ttftMs()).toArray();
		double[] onTtft = later.stream().mapToDouble(p -> p.on().ttftMs()).toArray();
		report.add(name + " prefix-cache=off", "ttft_median", BenchReport.median(offTtft), "ms");
		report.add(name + " prefix-cache=off", "ttft_p90", BenchReport.percentile(offTtft, 90), "ms");
		report.add(name + " prefix-cache=on", "ttft_median", BenchReport.median(onTtft), "ms");
		report.add(name + " prefix-cache=on", "ttft_p90", BenchReport.percentile(onTtft, 90), "ms");
		report.add(name, "ttft_on_vs_off_median_of_pairs",
				BenchReport.median(later.stream().mapToDouble(p -> p.on().ttftMs() / p.off().ttftMs()).toArray()),
				"ratio");
		report.add(name, "prompt_tokens_mean", later.stream().mapToInt(p -> p.on().promptTokens()).average()
			.orElse(0), "tokens");
		// Both servers ran in the same wall time; each one's tokens over it (decode is the same with or without).
		report.add(name + " prefix-cache=off", "tokens_per_s",
				pairs.stream().mapToInt(p -> p.off().completionTokens()).sum() / wallSeconds, "tok/s");
		report.add(name + " prefix-cache=on", "tokens_per_s",
				pairs.stream().mapToInt(p -> p.on().completionTokens()).sum() / wallSeconds, "tok/s");
		long prompt = pairs.stream().mapToLong(p -> p.on().promptTokens()).sum();
		report.add(name + " prefix-cache=on", "cache_hit_share",
				(cachedModel.prefixCacheStats().hitTokens() - hitsBefore) / (double) prompt, "ratio");
		if (agents == 1) {
			// Alone on its server, a request's hit tokens are the counter's change: step n+1 against step n's prompt.
			for (int i = 1; i < pairs.size(); i++) {
				Pair pair = pairs.get(i);
				report.add(name + " one agent", "step_" + pair.step() + "_hit_tokens", pair.hitTokens(), "tokens");
				report.add(name + " one agent", "step_" + pair.step() + "_hit_tokens_vs_step_" + (pair.step() - 1)
						+ "_prompt", pair.hitTokens() / (double) pairs.get(i - 1).on().promptTokens(), "ratio");
			}
		}
	}

	/** One streaming request; its TTFT, tokens, prompt length and answer text. */
	private static Step send(HttpClient http, URI url, List<Map<String, Object>> messages, int tokens)
			throws IOException, InterruptedException {
		String body = JSON.writeValueAsString(Map.of("max_tokens", tokens, "temperature", 0, "stream", true,
				"stream_options", Map.of("include_usage", true), "messages", messages));
		long start = System.nanoTime();
		HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		if (response.statusCode() != 200) {
			throw new IOException("model server answered HTTP " + response.statusCode() + ": "
					+ new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
		}
		double ttftMs = -1;
		int completion = 0;
		int prompt = 0;
		StringBuilder answer = new StringBuilder();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
					continue;
				}
				JsonNode chunk = JSON.readTree(line.substring(6));
				String piece = chunk.at("/choices/0/delta/content").asText("");
				if (!piece.isEmpty() && ttftMs < 0) {
					ttftMs = (System.nanoTime() - start) / 1e6;
				}
				answer.append(piece);
				if (chunk.has("usage") && !chunk.get("usage").isNull()) {
					completion = chunk.at("/usage/completion_tokens").asInt();
					prompt = chunk.at("/usage/prompt_tokens").asInt();
				}
			}
		}
		return new Step(ttftMs < 0 ? (System.nanoTime() - start) / 1e6 : ttftMs, completion, prompt,
				answer.toString());
	}

	/**
	 * A system prompt of the size an agent sends: the role, the action tools as a JSON schema, and the rules (about
	 * 900 tokens with the Qwen2.5 tokenizer).
	 */
	static String systemPrompt() {
		StringBuilder prompt = new StringBuilder("""
				You are a browser agent. You see a screenshot of the page each step and answer with exactly one tool \
				call. Coordinates are pixels of the screenshot you see.
				# Tools
				""");
		String[][] tools = { { "click", "Click at a point", "x:integer,y:integer,button:string" },
				{ "double_click", "Double-click at a point", "x:integer,y:integer" },
				{ "type", "Type text into the focused element", "text:string,submit:boolean" },
				{ "key", "Press a key or a combination such as ctrl+a", "keys:string" },
				{ "scroll", "Scroll at a point", "x:integer,y:integer,dx:integer,dy:integer" },
				{ "drag", "Drag from one point to another", "x1:integer,y1:integer,x2:integer,y2:integer" },
				{ "navigate", "Open a URL in the current tab", "url:string" },
				{ "back", "Go back in history", "" }, { "wait", "Wait for the page to change", "seconds:number" },
				{ "answer", "Finish the task with an answer", "text:string" },
				{ "ask", "Ask the user for approval or missing information", "question:string" } };
		for (String[] tool : tools) {
			prompt.append("{\"type\": \"function\", \"function\": {\"name\": \"").append(tool[0])
				.append("\", \"description\": \"").append(tool[1])
				.append("\", \"parameters\": {\"type\": \"object\", \"properties\": {");
			String[] parameters = tool[2].isEmpty() ? new String[0] : tool[2].split(",");
			for (int i = 0; i < parameters.length; i++) {
				String[] parameter = parameters[i].split(":");
				prompt.append(i == 0 ? "" : ", ").append('"').append(parameter[0]).append("\": {\"type\": \"")
					.append(parameter[1]).append("\", \"description\": \"the ").append(parameter[0])
					.append(" of the ").append(tool[0]).append(" action\"}");
			}
			prompt.append("}, \"required\": [");
			for (int i = 0; i < parameters.length; i++) {
				prompt.append(i == 0 ? "" : ", ").append('"').append(parameters[i].split(":")[0]).append('"');
			}
			prompt.append("]}}}\n");
		}
		prompt.append("""
				# Rules
				- Look at the whole screenshot before acting; prefer visible controls over guessing URLs.
				- Never type a password yourself: type {{password}} and the executor fills it in.
				- If an action did not change the page, try a different element instead of repeating it.
				- When a dialog or cookie banner covers the page, close it first.
				- When the goal is reached, call answer with a one-sentence summary.
				- If the page asks for something the goal does not give, call ask.
				Answer in the form <tool_call>{"name": ..., "arguments": {...}}</tool_call>.
				""");
		return prompt.toString();
	}

	/** A 1280×720 page-like screenshot (bars, panels, text), different for every agent and step. */
	static String screenshot(int agent, int step) {
		SplittableRandom random = new SplittableRandom(agent * 7919L + step);
		BufferedImage image = new BufferedImage(1280, 720, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setColor(new Color(245, 246, 248));
			g.fillRect(0, 0, 1280, 720);
			g.setColor(new Color(random.nextInt(1 << 24)));
			g.fillRect(0, 0, 1280, 64);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
			for (int i = 0; i < 24; i++) {
				int x = random.nextInt(1200);
				int y = 80 + random.nextInt(600);
				g.setColor(new Color(random.nextInt(1 << 24)));
				g.fillRoundRect(x, y, 40 + random.nextInt(240), 24 + random.nextInt(60), 8, 8);
				g.setColor(Color.DARK_GRAY);
				g.drawString("Item " + agent + "." + step + "." + i + " settings newsletter", x + 4, y + 18);
			}
		}
		finally {
			g.dispose();
		}
		try {
			ByteArrayOutputStream png = new ByteArrayOutputStream();
			ImageIO.write(image, "png", png);
			return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String option(List<String> args, String name, String fallback) {
		int at = args.indexOf(name);
		return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : fallback;
	}

}
