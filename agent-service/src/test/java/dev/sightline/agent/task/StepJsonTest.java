package dev.sightline.agent.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.Reload;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps as JSON (the API, the SSE events and both stores): the typed action is written in the shape the API has
 * always had (its fields plus its name under {@code "action"}), steps stored by earlier versions still read.
 */
class StepJsonTest {

	final JsonMapper json = JsonMapper.builder().findAndAddModules().build();

	@Test
	void roundTripsTokenCountsAndTheAction() {
		Step step = new Step("t", 1, Instant.parse("2026-01-01T00:00:00Z"), "raw", new LeftClick(new ModelPoint(10, 20)),
				null, StepTimings.NONE, "clicked", 10, 1234, 17);

		Step back = json.readValue(json.writeValueAsString(step), Step.class);

		assertThat(back).isEqualTo(step);
	}

	/** Each action as the service wrote it while steps carried maps ({"action": name} + the record's fields). */
	static List<Arguments> storedShapes() {
		return List.of(Arguments.of(new LeftClick(new ModelPoint(10, 20)), "{\"action\":\"left_click\",\"at\":{\"xPx\":10,\"yPx\":20}}"),
				Arguments.of(new DoubleClick(null), "{\"action\":\"double_click\",\"at\":null}"),
				Arguments.of(new TypeText("hello {{password}}"), "{\"action\":\"type\",\"text\":\"hello {{password}}\"}"),
				Arguments.of(Key.of("Enter"), "{\"action\":\"key\",\"keys\":[\"Enter\"]}"),
				Arguments.of(new Scroll(-300, new ModelPoint(5, 6)),
						"{\"action\":\"scroll\",\"pixels\":-300,\"at\":{\"xPx\":5,\"yPx\":6}}"),
				Arguments.of(new LeftClickDrag(null, new ModelPoint(7, 8)),
						"{\"action\":\"left_click_drag\",\"from\":null,\"to\":{\"xPx\":7,\"yPx\":8}}"),
				Arguments.of(new Wait(2000), "{\"action\":\"wait\",\"durationMs\":2000}"),
				Arguments.of(new Terminate(Terminate.Status.SUCCESS), "{\"action\":\"terminate\",\"status\":\"SUCCESS\"}"),
				Arguments.of(new Answer("42"), "{\"action\":\"answer\",\"text\":\"42\"}"),
				Arguments.of(new Navigate("https://example.com/"), "{\"action\":\"navigate\",\"url\":\"https://example.com/\"}"),
				Arguments.of(new Back(), "{\"action\":\"back\"}"),
				Arguments.of(new AnswerDialog(true, null), "{\"action\":\"dialog\",\"accept\":true,\"text\":null}"));
	}

	@ParameterizedTest
	@MethodSource("storedShapes")
	void writesTheActionInTheShapeTheApiAlwaysHad(Action action, String shape) {
		assertThat(json.readTree(json.writeValueAsString(action))).isEqualTo(json.readTree(shape));
	}

	@ParameterizedTest
	@MethodSource("storedShapes")
	void readsAnActionStoredByEarlierVersions(Action action, String shape) {
		assertThat(json.readValue(shape, Action.class)).isEqualTo(action);
	}

	@Test
	void everyKindOfActionHasAStoredName() {
		// A new action that is not registered with Jackson would make every step holding it unreadable (500).
		Set<Class<?>> registered = new HashSet<>();
		for (JsonSubTypes.Type type : Action.class.getAnnotation(JsonSubTypes.class).value()) {
			registered.add(type.value());
		}
		assertThat(leaves(Action.class)).isNotEmpty().allSatisfy(kind -> assertThat(registered).contains(kind));
	}

	private static List<Class<?>> leaves(Class<?> sealed) {
		List<Class<?>> leaves = new ArrayList<>();
		for (Class<?> permitted : sealed.getPermittedSubclasses()) {
			if (permitted.isSealed()) {
				leaves.addAll(leaves(permitted));
			}
			else {
				leaves.add(permitted);
			}
		}
		return leaves;
	}

	@Test
	void readsAStoredActionWithAFieldThisVersionNoLongerHas() {
		assertThat(json.readValue("{\"action\":\"reload\",\"reason\":\"old\"}", Action.class))
			.isEqualTo(new Reload());
	}

	@Test
	void readsAStepRecordedBeforeTokensWereCounted() {
		String old = """
				{"taskId":"t","n":2,"startedAt":"2026-01-01T00:00:00Z","rawOutput":"raw","action":{"action":"key","keys":["Enter"]},
				 "coordinates":null,"timings":{"screenshotMs":1,"preprocessMs":2,"promptMs":3,"modelMs":4,"parseMs":5,
				 "executeMs":6,"recordMs":7},"outcome":"ok","screenshotBytes":0}""";

		Step step = json.readValue(old, Step.class);

		assertThat(step.n()).isEqualTo(2);
		assertThat(step.action()).isEqualTo(Key.of("Enter"));
		assertThat(step.promptTokens()).isZero();
		assertThat(step.completionTokens()).isZero();
	}

	@Test
	void writesAnAbsentScreenPointAsNullAndReadsTheFormerMinusOneMarkerAsAbsent() {
		Step.Coordinates outside = new Step.Coordinates(5000, 20, 1288, 728, 1280, 720, (ScreenPoint) null);
		Step.Coordinates stored = json.readValue("""
				{"modelXPx":5000,"modelYPx":20,"modelImageWidthPx":1288,"modelImageHeightPx":728,"screenshotWidthPx":1280,
				 "screenshotHeightPx":720,"screenXCssPx":-1.0,"screenYCssPx":-1.0}""", Step.Coordinates.class);

		assertThat(json.readTree(json.writeValueAsString(outside)).get("screenXCssPx").isNull()).isTrue();
		assertThat(stored).isEqualTo(outside);
		assertThat(stored.screen()).isEmpty();
		assertThat(new Step.Coordinates(302, 201, 1288, 728, 1280, 720, new ScreenPoint(300.1, 198.8)).screen())
			.contains(new ScreenPoint(300.1, 198.8));
	}

}
