package dev.sightline.agent.loop;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.sightline.agent.task.StepTimings;
import dev.sightline.agent.task.TaskStatus;

/**
 * Micrometer meters of the loop: {@code sightline.tasks} (counter by {@code status}), {@code sightline.step.phase}
 * (timer with histogram by {@code phase}), {@code sightline.model.tokens} (counter by {@code kind}).
 */
public final class LoopMetrics {

	private final MeterRegistry registry;

	public LoopMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void started() {
		Counter.builder("sightline.tasks").tag("status", TaskStatus.RUNNING.wireName()).register(registry).increment();
	}

	void finished(TaskStatus status) {
		Counter.builder("sightline.tasks").tag("status", status.wireName()).register(registry).increment();
	}

	void step(StepTimings timings) {
		record("screenshot", timings.screenshotMs());
		record("preprocess", timings.preprocessMs());
		record("prompt", timings.promptMs());
		record("model", timings.modelMs());
		record("parse", timings.parseMs());
		record("execute", timings.executeMs());
		record("record", timings.recordMs());
		record("overhead", timings.overheadMs());
	}

	void modelTokens(int prompt, int completion) {
		Counter.builder("sightline.model.tokens").tag("kind", "prompt").register(registry).increment(prompt);
		Counter.builder("sightline.model.tokens").tag("kind", "completion").register(registry).increment(completion);
	}

	private void record(String phase, double ms) {
		Timer.builder("sightline.step.phase")
			.tag("phase", phase)
			.publishPercentileHistogram()
			.register(registry)
			.record(Duration.ofNanos((long) (ms * 1e6)));
	}

}
