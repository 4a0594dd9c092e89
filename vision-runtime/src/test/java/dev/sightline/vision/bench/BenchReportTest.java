package dev.sightline.vision.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchReportTest {

	@Test
	void medianOfAnEvenSampleIsTheMeanOfTheMiddleValues() {
		assertThat(BenchReport.median(new double[] { 4, 1, 3, 2 })).isEqualTo(2.5);
		assertThat(BenchReport.median(new double[] { 5, 1, 3 })).isEqualTo(3);
	}

	@Test
	void percentileUsesTheNearestRank() {
		double[] sample = new double[100];
		for (int i = 0; i < 100; i++) {
			sample[i] = i + 1;
		}
		assertThat(BenchReport.percentile(sample, 95)).isEqualTo(95);
		assertThat(BenchReport.percentile(sample, 100)).isEqualTo(100);
	}

	@Test
	void rejectsAnEmptySample() {
		assertThatThrownBy(() -> BenchReport.median(new double[0])).hasMessageContaining("empty");
	}

	@Test
	void printsOneJsonObjectPerRowWithTheDocumentedKeys() throws Exception {
		BenchReport report = new BenchReport("preprocess").add("1280x720", "p50", 12.5, "ms")
			.add("1280x720", "ratio_vs_reference", 0.8, "ratio");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
		String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
		assertThat(lines).hasSize(2);
		JsonNode first = new ObjectMapper().readTree(lines[0]);
		assertThat(first.get("bench").asText()).isEqualTo("preprocess");
		assertThat(first.get("case").asText()).isEqualTo("1280x720");
		assertThat(first.get("metric").asText()).isEqualTo("p50");
		assertThat(first.get("value").asDouble()).isEqualTo(12.5);
		assertThat(first.get("unit").asText()).isEqualTo("ms");
	}

	@Test
	void printsAHumanTableWithAHeader() {
		BenchReport report = new BenchReport("executor").add("screenshot", "p50", 41.25, "ms");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
		assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("bench executor", "case", "screenshot", "41.250");
	}

}
