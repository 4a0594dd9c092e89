package dev.sightline.agent.model;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.config.ModelSettings;
import dev.sightline.vision.chat.VisionLanguageModel;

/**
 * {@code sightline.model.backend=in-process}: Qwen2.5-VL in this JVM (vision-runtime's {@code qwen.QwenVl}), loaded
 * once on a background thread and shared. Without a checkpoint the service still starts and reports why.
 */
public final class InProcessModelBackend implements ModelBackend, AutoCloseable {

	/** vision-runtime's in-process model, looked up at run time so the service builds before it exists. */
	static final String RUNTIME_CLASS = "dev.sightline.vision.qwen.QwenVl";

	private static final Logger log = LoggerFactory.getLogger(InProcessModelBackend.class);

	private final ModelSettings settings;

	private final AtomicReference<ModelState> state;

	private final AtomicReference<VisionLanguageModel> model = new AtomicReference<>();

	public InProcessModelBackend(ModelSettings settings) {
		this.settings = settings;
		this.state = new AtomicReference<>(ModelState.unavailable(ModelSettings.IN_PROCESS, settings.path(),
				"loading", "wait for the checkpoint to load"));
	}

	/** Loads the checkpoint on a virtual thread; {@link #state()} says how it went. */
	public void startLoading() {
		Thread.ofVirtual().name("sightline-model-load").start(this::load);
	}

	void load() {
		Path dir = Path.of(settings.path());
		if (!Files.isRegularFile(dir.resolve("config.json"))) {
			state.set(ModelState.unavailable(ModelSettings.IN_PROCESS, settings.path(),
					"no checkpoint directory with config.json at '" + dir.toAbsolutePath()
							+ "' (hub ids are not downloaded by the service)",
					"download the checkpoint (e.g. 'huggingface-cli download Qwen/Qwen2.5-VL-3B-Instruct --local-dir "
							+ "models/qwen2.5-vl-3b') and set sightline.model.path to that directory, or set "
							+ "sightline.model.backend=openai with sightline.model.base-url"));
			log.warn("in-process model unavailable: {}", state.get().reason());
			return;
		}
		try {
			Class<?> runtime = Class.forName(RUNTIME_CLASS);
			Method load = runtime.getMethod("load", Path.class);
			VisionLanguageModel loaded = (VisionLanguageModel) load.invoke(null, dir);
			model.set(loaded);
			state.set(ModelState.ready(ModelSettings.IN_PROCESS, loaded.name()));
			log.info("in-process model {} loaded", loaded.name());
		}
		catch (ClassNotFoundException | NoSuchMethodException e) {
			state.set(ModelState.unavailable(ModelSettings.IN_PROCESS, settings.path(),
					"this build has no in-process runtime (" + RUNTIME_CLASS + ".load(Path) not found)",
					"set sightline.model.backend=openai and point sightline.model.base-url at a Qwen2.5-VL server"));
			log.warn("in-process model unavailable: {}", state.get().reason());
		}
		catch (InvocationTargetException | IllegalAccessException | RuntimeException | LinkageError e) {
			Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
			state.set(ModelState.unavailable(ModelSettings.IN_PROCESS, settings.path(),
					"loading the checkpoint failed: " + cause.getMessage(),
					"check the checkpoint directory (safetensors, config.json, tokenizer.json) and the log"));
			log.error("in-process model failed to load from {}", dir, cause);
		}
	}

	@Override
	public ModelState state() {
		return state.get();
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
		VisionLanguageModel loaded = model.getAndSet(null);
		if (loaded != null) {
			loaded.close();
		}
	}

}
