package dev.sightline.vision.bench;

import java.util.List;

/** {@code ./sightline bench preprocess}: PNG bytes to pixel_values for screenshots and a 16-frame clip (issue 3). */
final class PreprocessBench {

	private PreprocessBench() {
	}

	static BenchReport run(List<String> args) {
		throw new UnsupportedOperationException("bench preprocess is not implemented yet");
	}

}
