package dev.sightline.agent.bench;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScaleOutBenchTest {

	private static final String GOAL = "The user query: Press the button";

	private static final String CLICKED = "Step %d: {\"action\": \"left_click\", \"coordinate\": [60, 30]}\n";

	@Test
	void scriptedModelClicksUntilTheHistoryHoldsTheClicksThenTerminates() {
		assertThat(BenchModelEndpoint.answer("The user query: Press the button", 2)).isEqualTo(BenchModelEndpoint.CLICK);
		assertThat(BenchModelEndpoint.answer(GOAL + CLICKED.formatted(1), 2)).isEqualTo(BenchModelEndpoint.CLICK);
		assertThat(BenchModelEndpoint.answer(GOAL + CLICKED.formatted(1) + CLICKED.formatted(2), 2))
			.isEqualTo(BenchModelEndpoint.TERMINATE);
		assertThat(BenchModelEndpoint.answer("The user query: Press the button", 0))
			.isEqualTo(BenchModelEndpoint.TERMINATE);
	}

	@Test
	void parsesOptionsWithDefaultsForTheRest() {
		ScaleOutBench.Options options = ScaleOutBench.Options.parse(new String[] { "--tasks", "50", "--json",
				"--workers", "1,2" });

		assertThat(options.tasks()).isEqualTo(50);
		assertThat(options.json()).isTrue();
		assertThat(options.workers()).isEqualTo(List.of(1, 2));
		assertThat(options.clicks()).isEqualTo(2);
		assertThat(options.maxSeconds()).isEqualTo(300);
		assertThat(options.modelLatencyMs()).isZero();
		assertThat(ScaleOutBench.Options.parse(new String[] { "--model-latency-ms", "400" }).modelLatencyMs())
			.isEqualTo(400);
	}

	@Test
	void rejectsOptionsOutsideTheirBoundsNamingTheLimit() {
		assertThatThrownBy(() -> ScaleOutBench.Options.parse(new String[] { "--tasks", "0" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("--tasks must be between 1 and 100000, got 0");
		assertThatThrownBy(() -> ScaleOutBench.Options.parse(new String[] { "--max-seconds", "soon" }))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("--max-seconds needs a whole number, got 'soon'");
	}

}
