package dev.sightline.modelserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.QwenVl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The official openai-node client (the version pinned in {@code src/test/node/package-lock.json}) against the real
 * runtime on tiny-a, used as an application would: {@code src/test/node/openai-client-check.mjs} runs text with an
 * image, streaming with usage, tools (auto, required, named, streamed through the client's own stream helper),
 * {@code n}, logprobs, {@code json_schema}, penalties, and a refused request and a wrong key surfacing as the
 * client's {@code BadRequestError} and {@code AuthenticationError}. The weights are random, so the script checks
 * shapes and validity; JSON answers and tool arguments are valid because the server decodes them under the grammar.
 * Node.js and npm must be on the PATH ({@code ./sightline test} installs them); {@code npm ci} fetches the client
 * from the npm registry into a copy under {@code target/}, so the source tree stays clean.
 */
class OpenAiNodeClientIT {

	private static final Path TINY_A = Path.of("../vision-runtime/src/test/resources/golden/qwen2_5_vl/models/tiny-a");

	private static final Path SOURCE = Path.of("src/test/node");

	private static final Path WORK = Path.of("target/openai-node");

	private static final String SCRIPT = "openai-client-check.mjs";

	private static final String API_KEY = "openai-node-it-key";

	private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

	/** Thirteen requests on two shared cores, each a few seconds at most on tiny-a. */
	private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

	private static final List<String> CHECKS = List.of("models", "text_and_image", "stream", "tools_auto",
			"tools_required", "tools_named", "tools_named_streamed", "n_choices", "logprobs", "json_schema", "penalties",
			"bad_request", "wrong_key");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static QwenVl model;

	private static ModelServer server;

	@BeforeAll
	static void installClientAndStartServer() throws Exception {
		requireTool("node");
		requireTool("npm");
		Files.createDirectories(WORK);
		for (String file : List.of("package.json", "package-lock.json", SCRIPT)) {
			Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
		}
		// npm ci installs exactly the locked versions (and fails if package.json and the lock disagree).
		Result npm = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", WORK.toString()), NPM_TIMEOUT,
				"npm");
		assertThat(npm.exitCode()).as("npm ci in %s failed:\n%s%s", WORK, npm.stdout(), npm.stderr()).isZero();

		model = QwenVl.load(TINY_A, LoadOptions.DEFAULTS);
		server = ModelServer.start(ServerOptions.defaults(TINY_A.toString()).withPort(0).withApiKey(API_KEY), model,
				ModelLocator.defaultName(TINY_A.toString(), TINY_A));
	}

	@AfterAll
	static void stop() {
		if (server != null) {
			server.close();
		}
		if (model != null) {
			model.close();
		}
	}

	@Test
	void theOfficialClientDrivesEveryFeatureItUsesWithoutAnIncompatibility() throws Exception {
		Result script = run(List.of("node", WORK.resolve(SCRIPT).toString(), server.baseUrl().toString(), API_KEY),
				SCRIPT_TIMEOUT, "script");
		String output = script.stdout() + script.stderr();
		assertThat(script.exitCode()).as("node %s failed:\n%s", SCRIPT, output).isZero();
		List<String> lines = script.stdout().lines().filter(line -> line.startsWith("{")).toList();
		assertThat(lines).as(output).isNotEmpty();
		JsonNode results = JSON.readTree(lines.getLast());

		assertThat(results.path("ok").asBoolean()).as(output).isTrue();
		assertThat(results.path("failures").isEmpty()).as(output).isTrue();
		assertThat(results.path("client").asString()).isEqualTo(lockedClientVersion());
		JsonNode checks = results.path("checks");
		for (String check : CHECKS) {
			assertThat(checks.has(check)).as("check %s ran: %s", check, output).isTrue();
			assertThat(checks.path(check).isBoolean() && !checks.path(check).asBoolean()).as("check %s", check)
				.isFalse();
		}
		assertThat(checks.at("/models/model").asString()).isEqualTo("tiny-a");
		assertThat(checks.at("/stream/usage/completion_tokens").asInt()).isEqualTo(6);
		assertThat(checks.at("/tools_named/arguments").asString()).startsWith("{");
		assertThat(checks.at("/tools_named_streamed/deltas").asInt()).isPositive();
		assertThat(checks.at("/bad_request/status").asInt()).isEqualTo(400);
		assertThat(checks.at("/bad_request/message").asString()).contains("temperature must be within [0, 2]");
		assertThat(checks.at("/wrong_key/status").asInt()).isEqualTo(401);
	}

	/** The client version package-lock.json pins: the script must report running exactly that one. */
	private static String lockedClientVersion() {
		return JSON.readTree(SOURCE.resolve("package-lock.json").toFile())
			.at("/packages/node_modules~1openai/version")
			.asString();
	}

	private static void requireTool(String tool) {
		try {
			Process process = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				fail("'" + tool + " --version' did not succeed; OpenAiNodeClientIT needs Node.js 18+ and npm on the "
						+ "PATH (./sightline test installs them; on Debian: apt-get install nodejs npm)");
			}
		}
		catch (IOException | InterruptedException e) {
			fail("'" + tool + "' is not on the PATH (" + e.getMessage() + "); OpenAiNodeClientIT needs Node.js 18+ "
					+ "and npm (./sightline test installs them; on Debian: apt-get install nodejs npm)");
		}
	}

	record Result(int exitCode, String stdout, String stderr) {
	}

	/** Runs a command with its output in files (no pipe to fill up), killing it past the timeout. */
	private static Result run(List<String> command, Duration timeout, String name) throws Exception {
		Path stdout = WORK.resolve(name + ".out");
		Path stderr = WORK.resolve(name + ".err");
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile())
			.redirectError(stderr.toFile());
		builder.environment().put("npm_config_update_notifier", "false");
		Process process = builder.start();
		if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
			fail(String.join(" ", command) + " ran past " + timeout + ":\n" + Files.readString(stdout)
					+ Files.readString(stderr));
		}
		return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
				Files.readString(stderr, StandardCharsets.UTF_8));
	}
}
