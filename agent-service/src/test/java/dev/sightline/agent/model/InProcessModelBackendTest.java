package dev.sightline.agent.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.agent.config.ModelSettings;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.hub.HubSettings;
import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.weights.ComputeType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-process backend with the real vision-runtime: the tiny random-weight golden checkpoint (copied into this
 * module's test resources) from a directory and from a Hugging Face cache layout, and a hub id that cannot be had.
 */
class InProcessModelBackendTest {

	static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

	@TempDir
	Path home;

	static Path tinyCheckpoint() {
		try {
			return Path.of(InProcessModelBackendTest.class.getResource("/models/tiny-a/config.json").toURI())
				.getParent();
		}
		catch (URISyntaxException e) {
			throw new IllegalStateException(e);
		}
	}

	static ModelSettings settings(String path, String dtype, String device) {
		return new ModelSettings(ModelSettings.Backend.IN_PROCESS, path, "http://127.0.0.1:8000/v1", "unused", "", 120, 2,
				3136, 1003520, 256, ComputeType.parse(dtype), device, "auto", 1024);
	}

	ModelLocator locator(URI endpoint) {
		return new ModelLocator(HubSettings.fromEnvironment(Map.of(), home).withEndpoint(endpoint).withAttemptsPerFile(1));
	}

	@Test
	void loadsACheckpointDirectoryAndNamesItByItsFolder() {
		try (InProcessModelBackend backend = new InProcessModelBackend(
				settings(tinyCheckpoint().toString(), "fp32", "cpu"), locator(URI.create("http://127.0.0.1:9")))) {
			backend.load();

			assertThat(backend.state().ready()).as(backend.state().toString()).isTrue();
			assertThat(backend.state().name()).isEqualTo("tiny-a");
			assertThat(backend.model().name()).isNotBlank();
		}
	}

	@Test
	void concurrentCallersOfTheLoadedModelShareItsSchedulerAndGetTheirOwnAnswers() throws Exception {
		try (InProcessModelBackend backend = new InProcessModelBackend(
				settings(tinyCheckpoint().toString(), "fp32", "cpu"), locator(URI.create("http://127.0.0.1:9")))) {
			backend.load();
			assertThat(backend.scheduler()).isPresent();
			VisionLanguageModel model = backend.model();
			List<Conversation> questions = List.of("Count to ten.", "Say something long about screens.",
					"Where is the button?", "Hi").stream()
				.map(text -> Conversation.of(Message.user(new TextPart(text))))
				.toList();
			GenerationOptions options = GenerationOptions.GREEDY.withMaxNewTokens(48);
			List<Generation> alone = new ArrayList<>();
			for (Conversation question : questions) {
				alone.add(model.generate(question, options));
			}
			long stepsAlone = backend.scheduler().orElseThrow().steps();

			CyclicBarrier together = new CyclicBarrier(questions.size());
			try (ExecutorService callers = Executors.newFixedThreadPool(questions.size())) {
				List<Future<Generation>> answers = new ArrayList<>();
				for (Conversation question : questions) {
					answers.add(callers.submit(() -> {
						together.await();
						return model.generate(question, options);
					}));
				}
				for (int i = 0; i < questions.size(); i++) {
					assertThat(answers.get(i).get(60, TimeUnit.SECONDS).tokenIds()).as("question %d", i)
						.isEqualTo(alone.get(i).tokenIds());
				}
			}
			// Taking turns would cost as many steps again as alone; sharing passes costs fewer.
			SchedulerMetrics.Snapshot shared = backend.scheduler().orElseThrow();
			assertThat(shared.steps() - stepsAlone).isLessThan(stepsAlone);
			assertThat(shared.batchSizeMax()).isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void loadsAQwen3VlCheckpointAsItsOwnFamilyWithItsProfile() throws URISyntaxException {
		Path qwen3 = Path.of(InProcessModelBackendTest.class.getResource("/models/qwen3-tiny-a/config.json").toURI())
			.getParent();
		try (InProcessModelBackend backend = new InProcessModelBackend(settings(qwen3.toString(), "fp32", "cpu"),
				locator(URI.create("http://127.0.0.1:9")))) {
			backend.load();

			assertThat(backend.state().ready()).as(backend.state().toString()).isTrue();
			assertThat(backend.profile()).isEqualTo(ModelProfile.QWEN3_VL);
			assertThat(backend.model().runtime()).isPresent();
			assertThat(backend.model().runtime().orElseThrow().describe()).contains("cpu");
		}
	}

	@Test
	void resolvesAHubIdFromTheHuggingFaceCacheLayout() throws IOException {
		Path repo = home.resolve(".cache/huggingface/hub/models--Sightline--Tiny-VL");
		Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
		copy(tinyCheckpoint(), snapshot);
		Files.createDirectories(repo.resolve("refs"));
		Files.writeString(repo.resolve("refs/main"), COMMIT);

		try (InProcessModelBackend backend = new InProcessModelBackend(settings("Sightline/Tiny-VL", "auto", "auto"),
				locator(URI.create("http://127.0.0.1:9")))) {
			backend.load();

			assertThat(backend.state().ready()).as(backend.state().toString()).isTrue();
			assertThat(backend.state().name()).isEqualTo("Sightline/Tiny-VL");
		}
	}

	@Test
	void reportsAnUnreachableHubAsUnavailableWithTheFix() {
		List<ModelState> seen = new ArrayList<>();
		try (InProcessModelBackend backend = new InProcessModelBackend(settings("Sightline/Not-Cached", "auto", "auto"),
				locator(URI.create("http://127.0.0.1:9")))) {
			seen.add(backend.state());
			backend.load();
			seen.add(backend.state());
		}

		assertThat(seen.get(0).inProgress()).isTrue();
		ModelState state = seen.get(1);
		assertThat(state.ready()).isFalse();
		assertThat(state.inProgress()).isFalse();
		assertThat(state.reason()).startsWith("no checkpoint directory or hub model at 'Sightline/Not-Cached': ");
		assertThat(state.fix()).contains("sightline.model.path").contains("HF_ENDPOINT")
			.contains("sightline.model.backend=openai");
	}

	@Test
	void describesLoadingProgressInWords() {
		ModelState state = ModelState.loading("in-process", "m",
				new ModelState.Progress(ModelState.Phase.LOADING, 1_500_000_000L, 6_000_000_000L, 100, 400));

		assertThat(state.ready()).isFalse();
		assertThat(state.inProgress()).isTrue();
		assertThat(state.progress().percent()).isEqualTo(25);
		assertThat(state.reason()).isEqualTo("loading: 1.50 GB of 6.00 GB, 100 of 400 tensors (25 %)");
	}

	private static void copy(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.list(from)) {
			files.forEach(file -> {
				try {
					Files.copy(file, to.resolve(file.getFileName().toString()));
				}
				catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		}
	}

}
