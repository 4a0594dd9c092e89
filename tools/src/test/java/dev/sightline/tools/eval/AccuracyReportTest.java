package dev.sightline.tools.eval;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccuracyReportTest {

	@Test
	void countsFailedRunsInTheDenominatorButNotInLatency() {
		List<ItemResult> results = List.of(result("a", "web", "text", Outcome.HIT, 100),
				result("b", "web", "icon", Outcome.MISS, 200), result("c", "mobile", "icon", Outcome.WRONG_FORMAT, 300),
				result("d", "mobile", "text", Outcome.ERROR, 9_999));

		AccuracyReport report = AccuracyReport.of(results);

		GroupAccuracy overall = report.overall();
		assertThat(overall.total()).isEqualTo(4);
		assertThat(overall.hits()).isEqualTo(1);
		assertThat(overall.misses()).isEqualTo(1);
		assertThat(overall.wrongFormat()).isEqualTo(1);
		assertThat(overall.errors()).isEqualTo(1);
		assertThat(overall.accuracy()).isEqualTo(0.25);
		assertThat(overall.p50LatencyMs()).isEqualTo(200);
		assertThat(overall.p95LatencyMs()).isEqualTo(300);
	}

	@Test
	void cutsByPlatformElementTypeSettingAndBudget() {
		List<ItemResult> results = List.of(result("a", "web", "text", Outcome.HIT, 10),
				result("b", "web", "icon", Outcome.MISS, 10), result("c", "mobile", "icon", Outcome.HIT, 10));

		AccuracyReport report = AccuracyReport.of(results);

		assertThat(report.group("platform", "web").accuracy()).isEqualTo(0.5);
		assertThat(report.group("platform", "mobile").accuracy()).isEqualTo(1.0);
		assertThat(report.group("element_type", "icon").accuracy()).isEqualTo(0.5);
		assertThat(report.group("element_type", "text").accuracy()).isEqualTo(1.0);
		assertThat(report.group("setting/max_pixels", "1280x800@1x / 1003520").total()).isEqualTo(3);
		assertThat(report.dimension("platform")).extracting(GroupAccuracy::value).containsExactly("mobile", "web");
	}

	@Test
	void takesTheNearestRankNinetyFifthPercentile() {
		List<ItemResult> results = new ArrayList<>();
		for (int i = 1; i <= 100; i++) {
			results.add(result("i" + i, "web", "text", Outcome.HIT, i));
		}

		GroupAccuracy overall = AccuracyReport.of(results).overall();

		assertThat(overall.p95LatencyMs()).isEqualTo(95);
		assertThat(overall.p50LatencyMs()).isEqualTo(50.5);
	}

	@Test
	void refusesToReportOnNothing() {
		assertThatThrownBy(() -> AccuracyReport.of(List.of())).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("no results");
	}

	private static ItemResult result(String id, String platform, String type, Outcome outcome, double latencyMs) {
		return new ItemResult(id, 1_003_520, "1280x800@1x", platform, type, "click it", "/tmp/x.png", 1280, 800, 1260,
				784, 0, 0, 10, 10, 5, 5, 5.08, 5.1, outcome, latencyMs, 1000, 12, "[5, 5]", null);
	}

}
