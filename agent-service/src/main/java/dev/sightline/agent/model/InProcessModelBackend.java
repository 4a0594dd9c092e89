package dev.sightline.agent.model;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.config.ModelSettings;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.tools.profile.ModelProfiles;
import dev.sightline.vision.VisionRuntimeException;
import dev.sightline.vision.batching.ScheduledModel;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.hub.DownloadListener;
import dev.sightline.vision.hub.HubException;
import dev.sightline.vision.hub.HubSettings;
import dev.sightline.vision.hub.ModelLocator;
import dev.sightline.vision.family.VisionModels;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.weights.LoadListener;

/**
 * {@code sightline.model.backend=in-process}: the checkpoint's family (Qwen2.5-VL or Qwen3-VL, by its
 * {@code config.json}) in this JVM through vision-runtime's {@link VisionModels}, resolved
 * from a checkpoint directory or a hub id (the Hugging Face cache, else a download honouring {@code HF_TOKEN} and
 * {@code HF_ENDPOINT}), loaded once on a background thread and shared. Download and load progress show in
 * {@link #state()}; without a checkpoint the service still starts and says why and how to fix it. The model is
 * handed out behind its continuous-batching scheduler ({@link ScheduledModel}, {@link SchedulerSettings}), so tasks,
 * grounding and video questions running at once share decode passes; its metrics go to the application's registry
 * ({@code /actuator/prometheus}) and {@link #scheduler()}.
 */
public final class InProcessModelBackend implements ModelBackend, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(InProcessModelBackend.class);

	private final ModelSettings settings;

	/** The resolved checkpoint directory once known; its config.json tells the family. */
	private volatile @Nullable Path checkpoint;

	private final ModelLocator locator;

	private final AtomicReference<ModelState> state;

	private final AtomicReference<ScheduledModel> model = new AtomicReference<>();

	private final SchedulerSettings scheduling;

	private final MeterRegistry meters;

	private volatile boolean closed;

	public InProcessModelBackend(ModelSettings settings, SchedulerSettings scheduling, MeterRegistry meters) {
		this(settings, new ModelLocator(HubSettings.fromEnvironment()), scheduling, meters);
	}

	InProcessModelBackend(ModelSettings settings, ModelLocator locator) {
		this(settings, locator, SchedulerSettings.DEFAULTS, new SimpleMeterRegistry());
	}

	InProcessModelBackend(ModelSettings settings, ModelLocator locator, SchedulerSettings scheduling,
			MeterRegistry meters) {
		this.settings = settings;
		this.locator = locator;
		this.scheduling = scheduling;
		this.meters = meters;
		this.state = new AtomicReference<>(ModelState.unavailable(ModelSettings.Backend.IN_PROCESS.wireName(), settings.path(),
				"loading", "wait for the checkpoint to load"));
	}

	/** Resolves and loads the checkpoint on a virtual thread; {@link #state()} says how it goes. */
	public void startLoading() {
		Thread.ofVirtual().name("sightline-model-load").start(this::load);
	}

	void load() {
		String spec = settings.path();
		Path dir;
		try {
			DownloadListener downloads = progress -> state.set(ModelState.loading(ModelSettings.Backend.IN_PROCESS.wireName(), spec,
					new ModelState.Progress(ModelState.Phase.DOWNLOADING, progress.doneBytes(), progress.totalBytes(),
							progress.filesDone(), progress.filesTotal())));
			dir = locator.resolve(spec, downloads);
			checkpoint = dir;
		}
		catch (HubException | IllegalArgumentException e) {
			unavailable("no checkpoint directory or hub model at '" + spec + "': " + e.getMessage(),
					"set sightline.model.path to a checkpoint directory (config.json, *.safetensors, tokenizer.json) "
							+ "or a hub id such as Qwen/Qwen2.5-VL-3B-Instruct with network access to the hub "
							+ "(HF_ENDPOINT, HF_TOKEN for gated models) or the model in the hub cache (HF_HUB_CACHE); "
							+ "or set sightline.model.backend=openai with sightline.model.base-url",
					e);
			return;
		}
		String name = ModelLocator.defaultName(spec, dir);
		LoadListener weights = (bytesDone, bytesTotal, tensorsDone, tensorsTotal) -> state
			.set(ModelState.loading(ModelSettings.Backend.IN_PROCESS.wireName(), name, new ModelState.Progress(ModelState.Phase.LOADING,
					bytesDone, bytesTotal, tensorsDone, tensorsTotal)));
		try {
			LoadOptions options = settings.loadOptions().withListener(weights);
			long start = System.nanoTime();
			ScheduledModel loaded = VisionModels.loadScheduled(dir, options, scheduling.limits(),
					new SchedulerMetrics(name, meters));
			if (closed) {
				loaded.close();
				return;
			}
			model.set(loaded);
			state.set(ModelState.ready(ModelSettings.Backend.IN_PROCESS.wireName(), name));
			log.info("in-process model {} loaded from {} in {} ms: {}; batch {}, queue {}", name, dir,
					(System.nanoTime() - start) / 1_000_000,
					loaded.runtime().map(runtime -> runtime.describe()).orElse("runtime not reported"),
					loaded.scheduler().maxBatch(), scheduling.maxQueue());
		}
		catch (VisionRuntimeException | IllegalArgumentException | IllegalStateException | LinkageError e) {
			unavailable("loading the checkpoint at " + dir + " failed: " + e.getMessage(),
					"check the checkpoint directory (config.json, *.safetensors, tokenizer.json), sightline.model.dtype ("
							+ settings.dtype().wireName() + ") and sightline.model.device (" + settings.device() + "), and the log",
					e);
		}
		catch (RuntimeException e) {
			unavailable("loading the checkpoint at " + dir + " failed: " + e,
					"check the checkpoint directory and the log", e);
		}
	}

	private void unavailable(String reason, String fix, Throwable cause) {
		state.set(ModelState.unavailable(ModelSettings.Backend.IN_PROCESS.wireName(), settings.path(), reason, fix));
		log.warn("in-process model unavailable: {}", reason, log.isDebugEnabled() ? cause : null);
	}

	@Override
	public ModelProfile profile() {
		return ModelProfiles.forCheckpoint(settings.profile(), checkpoint, settings.path());
	}

	@Override
	public ModelState state() {
		return state.get();
	}

	@Override
	public Optional<SchedulerMetrics.Snapshot> scheduler() {
		ScheduledModel loaded = model.get();
		return loaded == null ? Optional.empty()
				: Optional.of(loaded.scheduler().metrics().snapshot());
	}

	@Override
	public VisionLanguageModel model() {
		VisionLanguageModel loaded = model.get();
		if (loaded == null) {
			throw new ModelUnavailableException(state.get());
		}
		return loaded;
	}

	@Override
	public void close() {
		closed = true;
		ScheduledModel loaded = model.getAndSet(null);
		if (loaded != null) {
			loaded.close();
		}
	}

}
