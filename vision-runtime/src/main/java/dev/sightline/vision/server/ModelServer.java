package dev.sightline.vision.server;

import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.batching.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.hub.HubSettings;
import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.hub.TerminalProgressBar;
import dev.sightline.net.HostResolver;
import dev.sightline.vision.qwen.InProcessVl;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.family.ModelFamily;
import dev.sightline.vision.family.VisionModels;

/**
 * {@code ./sightline serve-model}: one Qwen2.5-VL behind an OpenAI-compatible HTTP API on the JDK's HTTP server
 * (one virtual thread per request).
 *
 * <pre>
 * POST /v1/chat/completions   chat completion, streamed with stream=true (server-sent events)
 * GET  /v1/models             the served model
 * GET  /metrics               Prometheus text format (behind the API key when one is set)
 * GET  /health                200 once the model is loaded (no auth)
 * </pre>
 */
public final class ModelServer implements AutoCloseable {

	private final HttpServer http;

	private final ExecutorService executor;

	private final Scheduler scheduler;

	private final SchedulerMetrics metrics;

	private final String modelName;

	private ModelServer(HttpServer http, ExecutorService executor, Scheduler scheduler, SchedulerMetrics metrics,
			String modelName) {
		this.http = http;
		this.executor = executor;
		this.scheduler = scheduler;
		this.metrics = metrics;
		this.modelName = modelName;
	}

	/** Serves {@code model} under {@code modelName} on {@code options.host():options.port()} (port 0: any free). */
	public static ModelServer start(ServerOptions options, VisionLanguageModel model, String modelName) {
		return start(options, model, modelName, HostResolver.system());
	}

	/**
	 * As {@link #start(ServerOptions, VisionLanguageModel, String)}, resolving remote image hosts with
	 * {@code resolver} (tests play DNS rebinding with it).
	 * @throws IllegalArgumentException when the server would listen beyond loopback without an API key
	 */
	public static ModelServer start(ServerOptions options, VisionLanguageModel model, String modelName,
			HostResolver resolver) {
		options.requireKeyBeyondLoopback();
		SchedulerMetrics metrics = new SchedulerMetrics(modelName);
		if (model instanceof InProcessVl<?> local) {
			metrics.bindPrefixCache(local::prefixCacheStats);
		}
		Scheduler scheduler = new Scheduler(model, options.maxQueue(), options.maxBatch(), options.prefillChunkTokens(), metrics);
		HttpServer http;
		try {
			http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 256);
		}
		catch (IOException e) {
			scheduler.close();
			throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port(), e);
		}
		ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
		http.setExecutor(executor);
		ModelServer server = new ModelServer(http, executor, scheduler, metrics, modelName);
		ChatCompletionHandler chat = new ChatCompletionHandler(modelName, options, scheduler, resolver);
		long created = System.currentTimeMillis() / 1000;
		http.createContext("/v1/chat/completions", exchange -> guard(exchange, () -> chat.handle(exchange)));
		http.createContext("/v1/models", exchange -> guard(exchange, () -> {
			HttpExchanges.requireMethod(exchange, "GET");
			HttpExchanges.authorize(exchange, options.apiKey());
			HttpExchanges.sendJson(exchange, 200, OpenAiResponses.models(modelName, created, model.runtime()));
		}));
		http.createContext("/metrics", exchange -> guard(exchange, () -> {
			HttpExchanges.requireMethod(exchange, "GET");
			// Queue depth and throughput tell an outsider how busy, and so how probeable, the server is.
			HttpExchanges.authorize(exchange, options.apiKey());
			HttpExchanges.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
					metrics.scrape().getBytes(StandardCharsets.UTF_8));
		}));
		http.createContext("/health", exchange -> guard(exchange, () -> HttpExchanges.send(exchange, 200,
				"application/json", ("{\"status\":\"UP\",\"model\":" + OpenAiResponses.JSON.writeValueAsString(modelName)
						+ ",\"queued\":" + scheduler.queueDepth() + ",\"running\":" + scheduler.running() + "}")
					.getBytes(StandardCharsets.UTF_8))));
		http.createContext("/", exchange -> guard(exchange, () -> {
			throw new ApiException(404, "invalid_request_error", null, "not_found",
					"no route " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
							+ " (this server has /v1/chat/completions, /v1/models, /metrics, /health)");
		}));
		http.start();
		return server;
	}

	@FunctionalInterface
	private interface ExchangeWork {

		void run() throws IOException;

	}

	/** Answers every refusal in OpenAI's error shape; a client that went away just ends the exchange. */
	private static void guard(HttpExchange exchange, ExchangeWork work) {
		try (exchange) {
			try {
				work.run();
			}
			catch (ApiException e) {
				HttpExchanges.sendError(exchange, e);
			}
			catch (RuntimeException e) {
				HttpExchanges.sendError(exchange, ChatCompletionHandler.toApiException(e));
			}
		}
		catch (IOException e) {
			// The client closed the connection; nothing left to answer.
		}
	}

	public int port() {
		return http.getAddress().getPort();
	}

	/** The OpenAI base URL clients use, e.g. {@code http://127.0.0.1:8000/v1}. */
	public URI baseUrl() {
		InetSocketAddress address = http.getAddress();
		String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
		return URI.create("http://" + host + ":" + address.getPort() + "/v1");
	}

	public String modelName() {
		return modelName;
	}

	public Scheduler scheduler() {
		return scheduler;
	}

	public SchedulerMetrics metrics() {
		return metrics;
	}

	@Override
	public void close() {
		http.stop(0);
		scheduler.close();
		executor.shutdownNow();
	}

	public static void main(String[] args) {
		ServerOptions options;
		LoadOptions load;
		try {
			if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
				System.out.print(ServerOptions.USAGE);
				return;
			}
			List<String> rest = new ArrayList<>(Arrays.asList(args));
			load = LoadArguments.extract(rest);
			options = ServerOptions.parse(rest, System.getenv());
		}
		catch (IllegalArgumentException e) {
			System.err.println("serve-model: " + e.getMessage());
			System.exit(2);
			return;
		}
		try {
			options.requireKeyBeyondLoopback();
		}
		catch (IllegalArgumentException e) {
			System.err.println("serve-model: " + e.getMessage());
			System.exit(2);
			return;
		}
		try {
			Path checkpoint = new ModelLocator(HubSettings.fromEnvironment()).resolve(options.model(),
					TerminalProgressBar.onStandardError());
			String name = options.servedModelName().orElse(ModelLocator.defaultName(options.model(), checkpoint));
			System.err.println("serve-model: loading " + checkpoint);
			ModelFamily family = ModelFamily.detect(checkpoint);
			System.err.println("serve-model: " + family.cliName() + " checkpoint");
			VisionLanguageModel model = VisionModels.load(family, checkpoint, load);
			model.runtime().ifPresent(runtime -> System.err.println("serve-model: " + runtime.describe()));
			ModelServer server = start(options, model, name);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				server.close();
				model.close();
			}, "model-server-shutdown"));
			System.err.println("serve-model: serving '" + name + "' at " + server.baseUrl() + " (batch "
					+ server.scheduler().maxBatch() + ", queue " + options.maxQueue() + ")");
		}
		catch (VisionRuntimeException | UncheckedIOException | IllegalArgumentException e) {
			System.err.println("serve-model: " + e.getMessage());
			System.exit(1);
		}
	}

}
