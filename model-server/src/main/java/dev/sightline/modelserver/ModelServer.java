package dev.sightline.modelserver;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import dev.sightline.net.HostResolver;
import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.batching.Scheduler;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.family.ModelFamily;
import dev.sightline.vision.family.VisionModels;
import dev.sightline.vision.hub.HubSettings;
import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.hub.TerminalProgressBar;
import dev.sightline.vision.qwen.InProcessVl;
import dev.sightline.vision.qwen.LoadOptions;

/**
 * {@code ./sightline serve-model}: one Qwen2.5-VL or Qwen3-VL behind an OpenAI-compatible HTTP API, a Spring Boot
 * web application (Spring MVC on Tomcat, one virtual thread per request) whose only configuration is the command
 * line ({@link ServerOptions}).
 *
 * <pre>
 * POST /v1/chat/completions      chat completion, streamed with stream=true (server-sent events)
 * GET  /v1/models                the served model
 * GET  /v1/models/{model}        that model alone (404 model_not_found for any other name)
 * GET  /metrics                  Prometheus text format (behind the API key when one is set)
 * GET  /health                   200 once the model is loaded (no auth)
 * GET  /actuator/health/liveness, /actuator/health/readiness   Kubernetes probes (no auth)
 * </pre>
 */
public final class ModelServer implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final ServedModel served;

	private ModelServer(ConfigurableApplicationContext context, ServedModel served) {
		this.context = context;
		this.served = served;
	}

	/** Serves {@code model} under {@code modelName} on {@code options.host():options.port()} (port 0: any free). */
	public static ModelServer start(ServerOptions options, VisionLanguageModel model, String modelName) {
		return start(options, model, modelName, HostResolver.system());
	}

	/**
	 * As {@link #start(ServerOptions, VisionLanguageModel, String)}, resolving remote image hosts with
	 * {@code resolver} (tests play DNS rebinding with it).
	 * @throws IllegalArgumentException when the server would listen beyond loopback without an API key
	 * @throws IllegalStateException when the web server cannot start (the port is taken, the host is not local)
	 */
	public static ModelServer start(ServerOptions options, VisionLanguageModel model, String modelName,
			HostResolver resolver) {
		options.requireKeyBeyondLoopback();
		SchedulerMetrics metrics = new SchedulerMetrics(modelName);
		if (model instanceof InProcessVl<?> local) {
			metrics.bindPrefixCache(local::prefixCacheStats);
		}
		Scheduler scheduler = new Scheduler(model, options.maxQueue(), options.maxBatch(), options.prefillChunkTokens(),
				metrics);
		ServedModel served = new ServedModel(options, modelName, model.runtime(), scheduler, metrics, resolver,
				System.currentTimeMillis() / 1000);
		// First in line, before config files and logging are read: a SERVER_PORT or an application.yml elsewhere on
		// the class path cannot override what the command line said.
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("serve-model", properties(options)));
		try {
			ConfigurableApplicationContext context = new SpringApplicationBuilder(ModelServerApplication.class)
				.environment(environment)
				.web(WebApplicationType.SERVLET)
				.bannerMode(Banner.Mode.OFF)
				.logStartupInfo(false)
				.registerShutdownHook(false)
				.initializers(application -> ((GenericApplicationContext) application).registerBean(ServedModel.class,
						() -> served))
				.run();
			return new ModelServer(context, served);
		}
		catch (RuntimeException e) {
			scheduler.close();
			throw new IllegalStateException("cannot serve on " + options.host() + ":" + options.port() + ": "
					+ rootMessage(e), e);
		}
	}

	/** The Spring properties of a server: everything comes from {@code options}, nothing from files. */
	static Map<String, Object> properties(ServerOptions options) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.address", options.host());
		properties.put("server.port", options.port());
		// Stop at once, as the JDK server did: in-flight generations end with the scheduler (503 shutting_down).
		properties.put("server.shutdown", "immediate");
		properties.put("spring.threads.virtual.enabled", true);
		// No static resources: an unknown path is an OpenAI 404, not a resource lookup.
		properties.put("spring.web.resources.add-mappings", false);
		properties.put("spring.jmx.enabled", false);
		// No application.properties of its own, and none of another module's on a shared class path.
		properties.put("spring.config.name", "sightline-model-server");
		properties.put("management.endpoints.web.exposure.include", "health");
		properties.put("management.endpoint.health.probes.enabled", true);
		properties.put("management.endpoint.health.show-details", "never");
		properties.put("logging.level.root", "WARN");
		return properties;
	}

	private static String rootMessage(Throwable t) {
		Throwable root = t;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
	}

	public int port() {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/** The OpenAI base URL clients use, e.g. {@code http://127.0.0.1:8000/v1}. */
	public URI baseUrl() {
		String host = served.options().host();
		try {
			if (InetAddress.getByName(host).isAnyLocalAddress()) {
				host = "127.0.0.1";
			}
		}
		catch (UnknownHostException e) {
			// It was resolved to listen on it; keep the name.
		}
		return URI.create("http://" + host + ":" + port() + "/v1");
	}

	public String modelName() {
		return served.modelName();
	}

	public Scheduler scheduler() {
		return served.scheduler();
	}

	public SchedulerMetrics metrics() {
		return served.metrics();
	}

	@Override
	public void close() {
		context.close();
		served.scheduler().close();
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
		catch (VisionRuntimeException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
			System.err.println("serve-model: " + e.getMessage());
			System.exit(1);
		}
	}

}
