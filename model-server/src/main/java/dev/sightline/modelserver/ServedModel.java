package dev.sightline.modelserver;

import java.util.Objects;
import java.util.Optional;

import dev.sightline.net.HostResolver;
import dev.sightline.vision.batching.Scheduler;
import dev.sightline.vision.batching.SchedulerMetrics;
import dev.sightline.vision.weights.RuntimeInfo;

/**
 * What the HTTP layer serves: the one model behind its scheduler, under one name, with the command line's limits.
 * Built by {@link ModelServer#start} before the web application starts, and handed to it as a bean.
 *
 * @param options the command line ({@code serve-model} flags)
 * @param modelName the model id in the API
 * @param runtime what the model runs on, for {@code GET /v1/models}; empty for models without one (tests' scripted
 * models)
 * @param scheduler the only way into the model
 * @param metrics the scheduler's metrics, served on {@code GET /metrics}
 * @param resolver how remote image hosts are resolved (tests play DNS rebinding with it)
 * @param createdEpochSeconds when the server started, the {@code created} of the served model
 */
record ServedModel(ServerOptions options, String modelName, Optional<RuntimeInfo> runtime, Scheduler scheduler,
		SchedulerMetrics metrics, HostResolver resolver, long createdEpochSeconds) {

	ServedModel {
		Objects.requireNonNull(options, "options");
		Objects.requireNonNull(modelName, "modelName");
		Objects.requireNonNull(runtime, "runtime");
		Objects.requireNonNull(scheduler, "scheduler");
		Objects.requireNonNull(metrics, "metrics");
		Objects.requireNonNull(resolver, "resolver");
	}

}
