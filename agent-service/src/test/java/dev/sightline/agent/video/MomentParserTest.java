package dev.sightline.agent.video;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MomentParserTest {

	final MomentParser parser = new MomentParser();

	static Stream<Arguments> singleMoments() {
		return Stream.of(
				Arguments.of("The error dialog is visible from 3.5 to 5 seconds.", 3.5, 5.0),
				Arguments.of("The page loads from 3.5s to 5s and then shows the table.", 3.5, 5.0),
				Arguments.of("00:03-00:05: the login form is submitted", 3.0, 5.0),
				Arguments.of("It happens between 1:02 and 1:10 in the recording.", 62.0, 70.0),
				Arguments.of("The spinner shows 2.5 - 4 seconds after the click.", 2.5, 4.0),
				Arguments.of("The dialog appears at 4s.", 4.0, 4.0),
				Arguments.of("The user clicks Save at 4 seconds.", 4.0, 4.0),
				Arguments.of("The toast pops up at 00:01:02.5", 62.5, 62.5),
				Arguments.of("Between 12 and 15 the page is blank.", 12.0, 15.0),
				Arguments.of("The cart updates from 7 to 5 seconds", 5.0, 7.0),
				Arguments.of("""
						The error appears once.
						```json
						[{"start": 3.5, "end": 5, "description": "error dialog"}]
						```""", 3.5, 5.0),
				Arguments.of("[{\"start_time\": \"00:03\", \"end_time\": \"00:05\", \"event\": \"login\"}]", 3.0, 5.0),
				Arguments.of("{\"moments\": [{\"start\": \"3.5s\", \"end\": \"5s\", \"description\": \"x\"}]}", 3.5,
						5.0),
				Arguments.of("[{\"timestamp\": 4, \"description\": \"click\"}]", 4.0, 4.0));
	}

	@ParameterizedTest
	@MethodSource("singleMoments")
	void findsTheMomentInRealisticAnswers(String output, double startSec, double endSec) {
		List<Moment> moments = parser.parse(output);

		assertThat(moments).hasSize(1);
		assertThat(moments.get(0).startSec()).isCloseTo(startSec, within(1e-9));
		assertThat(moments.get(0).endSec()).isCloseTo(endSec, within(1e-9));
	}

	@Test
	void keepsTheDescriptionOfJsonMoments() {
		List<Moment> moments = parser.parse(
				"[{\"start\": 1, \"end\": 2, \"description\": \"opens the menu\"}, {\"start\": 6, \"end\": 8, "
						+ "\"description\": \"error dialog\"}]");

		assertThat(moments).containsExactly(new Moment(1, 2, "opens the menu"), new Moment(6, 8, "error dialog"));
	}

	@Test
	void describesProseMomentsWithTheirSentence() {
		List<Moment> moments = parser
			.parse("First the page loads. The error dialog is visible from 3.5 to 5 seconds. Then it closes.");

		assertThat(moments).containsExactly(new Moment(3.5, 5, "The error dialog is visible from 3.5 to 5 seconds."));
	}

	@Test
	void findsEveryRangeAndInstantInOrder() {
		List<Moment> moments = parser
			.parse("The user opens the menu at 2s, then the dialog shows from 6 to 8 seconds and again 00:12-00:14.");

		assertThat(moments).extracting(Moment::startSec).containsExactly(2.0, 6.0, 12.0);
		assertThat(moments).extracting(Moment::endSec).containsExactly(2.0, 8.0, 14.0);
	}

	@Test
	void findsNoMomentWhereTheAnswerHasNoTime() {
		assertThat(parser.parse("No error dialog appears in this recording.")).isEmpty();
		assertThat(parser.parse("There are 2-3 buttons on the page.")).isEmpty();
		assertThat(parser.parse("It costs 3.50 at 5 stores.")).isEmpty();
		assertThat(parser.parse("[]")).isEmpty();
	}

	@Test
	void readsClockTimes() {
		assertThat(MomentParser.time("5")).isEqualTo(5);
		assertThat(MomentParser.time("1:02")).isEqualTo(62);
		assertThat(MomentParser.time("01:02:03.5")).isEqualTo(3723.5);
	}

}
