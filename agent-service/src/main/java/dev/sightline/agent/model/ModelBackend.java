package dev.sightline.agent.model;

import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.VisionLanguageModel;

/** The configured model and its readiness; one shared instance serves every task. */
public interface ModelBackend {

	ModelState state();

	/**
	 * The family profile the model answers in ({@code sightline.model.profile}); an
	 * {@code UnknownModelProfileException} naming the setting when {@code auto} cannot tell.
	 */
	ModelProfile profile();

	/** The model, or {@link ModelUnavailableException} saying why there is none. */
	VisionLanguageModel model();

	/** A cheap live check (whether a remote endpoint answers), for health details; empty when there is none. */
	default java.util.Optional<EndpointProbe> probe() {
		return java.util.Optional.empty();
	}

	/** What an in-process model runs on (engine, natives, device, dtypes); empty until it is loaded, or for remote ones. */
	default java.util.Optional<dev.sightline.vision.weights.RuntimeInfo> loadedRuntime() {
		return state().ready() ? model().runtime() : java.util.Optional.empty();
	}

	/**
	 * The in-process model's scheduler figures (queue depth, batch sizes, decode gap) as of now; empty for a remote
	 * model or before the model is loaded.
	 */
	default java.util.Optional<dev.sightline.vision.batching.SchedulerMetrics.Snapshot> scheduler() {
		return java.util.Optional.empty();
	}

	default void requireReady() {
		ModelState state = state();
		if (!state.ready()) {
			throw new ModelUnavailableException(state);
		}
	}

}
