package dev.sightline.vision.bench;

import java.util.List;

/** {@code ./sightline bench model}: vision encode, prefill and decode of a 3B-width model with few layers (issue 4). */
final class ModelBench {

	private ModelBench() {
	}

	static BenchReport run(List<String> args) {
		throw new UnsupportedOperationException("bench model is not implemented yet");
	}

}
