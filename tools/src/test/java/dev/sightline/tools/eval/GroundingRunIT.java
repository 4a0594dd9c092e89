package dev.sightline.tools.eval;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.tools.execute.PngSize;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.RecordedRequest;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner on the shipped generated set, against the scripted model server over real HTTP through the OpenAI
 * backend. The scripted model answers from the annotations, so every accuracy is known in advance.
 */
class GroundingRunIT {

	private static final long FULL = 1_003_520;

	private static final long SMALL = 200_704;

	@TempDir
	Path out;

	private ScriptedModelServer server;

	private List<GroundingItem> items;

	@BeforeEach
	void start() throws URISyntaxException {
		server = ScriptedModelServer.start();
		items = new GroundingSetReader(BoxLayout.AUTO)
			.read(Path.of(getClass().getResource("/eval/grounding-set").toURI()));
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void scoresEveryItemAtEverySettingWhenTheModelAnswersBoxCentres() throws Exception {
		EvalSettings settings = new EvalSettings(List.of(FULL, SMALL), 3136, 1);
		for (PixelBudget budget : settings.budgets()) {
			for (GroundingItem item : items) {
				server.enqueue(Reply.text(pointAnswer(centreInModelPixels(item, budget))));
			}
		}

		AccuracyReport report = run(settings);

		assertThat(report.overall().total()).isEqualTo(items.size() * 2);
		assertThat(report.overall().accuracy()).isEqualTo(1.0);
		assertThat(report.dimension("setting/max_pixels")).hasSize(6)
			.allSatisfy(slice -> assertThat(slice.accuracy()).as(slice.value()).isEqualTo(1.0));
		assertThat(report.dimension("setting")).extracting(GroupAccuracy::value)
			.containsExactly("1120x840@1x", "640x400@1x", "640x400@2x");
		assertThat(report.dimension("element_type")).extracting(GroupAccuracy::value).containsExactly("icon", "text");
		assertThat(report.overall().p50LatencyMs()).isPositive();
		assertThat(report.overall().meanPromptTokens()).isEqualTo(1000.0);
		// The model was sent each screenshot already smart-resized to the budget of that run.
		List<RecordedRequest> requests = server.requests();
		assertThat(requests).hasSize(items.size() * 2);
		for (int i = 0; i < requests.size(); i++) {
			GroundingItem item = items.get(i % items.size());
			PixelBudget budget = settings.budgets().get(i / items.size());
			assertThat(imageSizeOf(requests.get(i))).isEqualTo(SmartResize.fit(item.imageSize(), budget));
			assertThat(requests.get(i).allText()).contains(item.instruction());
		}
		assertThat(Files.readAllLines(out.resolve(GroundingRunner.RESULTS_JSONL))).hasSize(items.size() * 2);
		assertThat(Files.readAllLines(out.resolve(ReportWriter.RESULTS_CSV))).hasSize(items.size() * 2 + 1);
		assertThat(Files.readString(out.resolve(ReportWriter.REPORT_JSON))).contains("\"accuracy\" : 1.0");
		assertThat(Files.readString(out.resolve(MissesPage.FILE))).contains("0 misses of 120 runs")
			.doesNotContain("<figure");
	}

	@Test
	void scoresExactlyTheExpectedShareWhenTheModelIsWrongOnAChosenSubset() throws Exception {
		EvalSettings settings = new EvalSettings(List.of(FULL), 3136, 1);
		PixelBudget budget = settings.budgets().get(0);
		List<String> wrongIds = new ArrayList<>();
		int unparseable = 0;
		for (int i = 0; i < items.size(); i++) {
			GroundingItem item = items.get(i);
			if (i == 7) {
				server.enqueue(Reply.text("I cannot find that element."));
				wrongIds.add(item.id());
				unparseable++;
			}
			else if (i % 4 == 0) {
				server.enqueue(Reply.text(pointAnswer(outsideTheBox(item, budget))));
				wrongIds.add(item.id());
			}
			else {
				server.enqueue(Reply.text(pointAnswer(centreInModelPixels(item, budget))));
			}
		}

		AccuracyReport report = run(settings);

		int expectedHits = items.size() - wrongIds.size();
		assertThat(report.overall().hits()).isEqualTo(expectedHits);
		assertThat(report.overall().accuracy()).isEqualTo((double) expectedHits / items.size());
		assertThat(report.overall().wrongFormat()).isEqualTo(unparseable);
		assertThat(report.overall().misses()).isEqualTo(wrongIds.size() - unparseable);
		for (String type : List.of("icon", "text")) {
			long total = items.stream().filter(it -> it.elementType().equals(type)).count();
			long wrong = items.stream()
				.filter(it -> it.elementType().equals(type) && wrongIds.contains(it.id()))
				.count();
			assertThat(report.group("element_type", type).accuracy()).as(type)
				.isEqualTo((double) (total - wrong) / total);
		}
		String misses = Files.readString(out.resolve(MissesPage.FILE));
		assertThat(misses).contains(wrongIds.size() + " misses of " + items.size() + " runs");
		for (String id : wrongIds) {
			assertThat(misses).contains("<figure id=\"" + id + "@" + FULL + "\">");
		}
		assertThat(misses.split("<circle class=\"predicted\"", -1)).hasSize(wrongIds.size() - unparseable + 1);
	}

	@Test
	void aModelAnsweringInOriginalPixelsScoresOnlyWhereSmartResizeIsAnIdentity() throws Exception {
		// The classic bug: coordinates in the original screenshot's frame instead of the resized image's.
		EvalSettings settings = new EvalSettings(List.of(FULL, SMALL), 3136, 1);
		for (int b = 0; b < 2; b++) {
			for (GroundingItem item : items) {
				server.enqueue(Reply.text(pointAnswer(new int[] { (int) Math.round(item.box().centreXPx()),
						(int) Math.round(item.box().centreYPx()) })));
			}
		}

		AccuracyReport report = run(settings);

		assertThat(SmartResize.fit(new ImageSize(1120, 840), settings.budgets().get(0)))
			.isEqualTo(new ImageSize(1120, 840));
		assertThat(report.group("setting/max_pixels", "1120x840@1x / " + FULL).accuracy()).isEqualTo(1.0);
		for (String setting : List.of("1120x840@1x", "640x400@1x", "640x400@2x")) {
			assertThat(report.group("setting/max_pixels", setting + " / " + SMALL).accuracy()).as(setting)
				.isLessThan(0.5);
		}
		assertThat(report.overall().accuracy()).isLessThan(0.6);
	}

	@Test
	void resumesWithoutAskingAgainForFinishedItemsAndRetriesFailedCalls() throws Exception {
		EvalSettings settings = new EvalSettings(List.of(FULL), 3136, 1);
		PixelBudget budget = settings.budgets().get(0);
		for (GroundingItem item : items.subList(0, 10)) {
			server.enqueue(Reply.text(pointAnswer(centreInModelPixels(item, budget))));
		}
		// The endpoint "goes down" after 10 items: the rest end in ERROR.
		AccuracyReport first = run(settings);
		assertThat(first.overall().hits()).isEqualTo(10);
		assertThat(first.overall().errors()).isEqualTo(items.size() - 10);
		int requestsBefore = server.requests().size();

		for (GroundingItem item : items.subList(10, items.size())) {
			server.enqueue(Reply.text(pointAnswer(centreInModelPixels(item, budget))));
		}
		AccuracyReport second = run(settings);

		assertThat(server.requests().size() - requestsBefore).isEqualTo(items.size() - 10);
		assertThat(second.overall().total()).isEqualTo(items.size());
		assertThat(second.overall().accuracy()).isEqualTo(1.0);
		assertThat(ResultLog.open(out.resolve(GroundingRunner.RESULTS_JSONL)).results()).hasSize(items.size());
	}

	@Test
	void keepsSeveralCallsInFlightWithinTheConcurrencyBound() throws Exception {
		EvalSettings settings = new EvalSettings(List.of(FULL), 3136, 4);
		server.whenExhausted(Reply.text(pointAnswer(new int[] { 1, 1 })).afterMs(150));

		AccuracyReport report = run(settings);

		assertThat(report.overall().total()).isEqualTo(items.size());
		assertThat(server.requests()).hasSize(items.size());
		// Counted at the server, not timed: several calls overlapped, never more than the bound.
		assertThat(server.maxConcurrentRequests()).isBetween(2, 4);
		assertThat(report.overall().p50LatencyMs()).isGreaterThanOrEqualTo(150);
	}

	@Test
	void aUiTarsModelIsAskedAndReadInItsOwnGrammar() throws Exception {
		EvalSettings settings = new EvalSettings(List.of(FULL), 3136, 1);
		PixelBudget budget = settings.budgets().get(0);
		for (GroundingItem item : items) {
			int[] centre = centreInModelPixels(item, budget);
			server.enqueue(Reply.text("Action: click(start_box='<|box_start|>(" + centre[0] + "," + centre[1]
					+ ")<|box_end|>')"));
		}

		AccuracyReport report = run(settings, ModelProfile.UI_TARS_1_5);

		assertThat(report.overall().accuracy()).isEqualTo(1.0);
		assertThat(server.requests().getLast().allText()).contains("## Action Space", "click(start_box=");
		assertThat(Files.readString(out.resolve(ReportWriter.REPORT_JSON))).contains("ui-tars-1.5");
	}

	@Test
	void aQwen3ModelAnsweringOnTheRelativeGridScoresWhereQwen25ReadingWouldMiss() throws Exception {
		EvalSettings settings = new EvalSettings(List.of(FULL), 3136, 1);
		int misreadAsPixels = 0;
		for (GroundingItem item : items) {
			int gx = (int) Math.round(item.box().centreXPx() / item.imageSize().widthPx() * 1000);
			int gy = (int) Math.round(item.box().centreYPx() / item.imageSize().heightPx() * 1000);
			server.enqueue(Reply.text(pointAnswer(new int[] { gx, gy })));
			ImageSize model = SmartResize.fit(item.imageSize(), settings.budgets().get(0));
			if (!item.box().contains((double) gx * item.imageSize().widthPx() / model.widthPx(),
					(double) gy * item.imageSize().heightPx() / model.heightPx())) {
				misreadAsPixels++;
			}
		}

		AccuracyReport report = run(settings, ModelProfile.QWEN3_VL);

		assertThat(report.overall().accuracy()).isEqualTo(1.0);
		assertThat(misreadAsPixels).as("read as Qwen2.5-VL pixels, most answers would miss")
			.isGreaterThan(items.size() / 2);
	}

	private AccuracyReport run(EvalSettings settings) throws Exception {
		return run(settings, ModelProfile.QWEN2_5_VL);
	}

	private AccuracyReport run(EvalSettings settings, ModelProfile profile) throws Exception {
		long widest = settings.maxPixels().stream().mapToLong(Long::longValue).max().orElseThrow();
		try (VisionLanguageModel model = EvalBackends.openAi(server.baseUrl(), "scripted", "",
				new PixelBudget(3136, widest), 30)) {
			return new GroundingRunner(model, profile, settings).run(items, out, new RunInfo("openai", "scripted",
					profile.id(), "grounding-set", settings.maxPixels(), settings.concurrency()));
		}
	}

	/** The box centre as the model should answer it: in pixels of the smart-resized image it saw. */
	private static int[] centreInModelPixels(GroundingItem item, PixelBudget budget) {
		ImageSize model = SmartResize.fit(item.imageSize(), budget);
		int x = (int) Math.round(item.box().centreXPx() * model.widthPx() / item.imageSize().widthPx());
		int y = (int) Math.round(item.box().centreYPx() * model.heightPx() / item.imageSize().heightPx());
		return new int[] { x, y };
	}

	/** A corner of the model image that maps outside the target box. */
	private static int[] outsideTheBox(GroundingItem item, PixelBudget budget) {
		ImageSize model = SmartResize.fit(item.imageSize(), budget);
		return item.box().contains(0, 0) ? new int[] { model.widthPx() - 1, model.heightPx() - 1 } : new int[] { 0, 0 };
	}

	private static String pointAnswer(int[] point) {
		return String.format(Locale.ROOT, "```json%n[{\"point_2d\": [%d, %d], \"label\": \"target\"}]%n```", point[0],
				point[1]);
	}

	private static ImageSize imageSizeOf(RecordedRequest request) {
		String url = request.imageUrls().get(0);
		byte[] png = Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1).getBytes(StandardCharsets.US_ASCII));
		return new ImageSize(PngSize.width(png), PngSize.height(png));
	}

}
