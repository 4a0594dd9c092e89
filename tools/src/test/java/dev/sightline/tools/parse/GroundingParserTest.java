package dev.sightline.tools.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;

class GroundingParserTest {

	private final GroundingParser parser = new GroundingParser();

	@Test
	void readsFencedBoxesWithLabelsInOrder() {
		String output = "```json\n[\n\t{\"bbox_2d\": [135, 114, 1016, 672], \"label\": \"dog\"},\n\t{\"bbox_2d\": [60, 30, 20, 10], \"label\": \"cat\"}\n]\n```";
		assertThat(parser.parse(output)).containsExactly(
				new Grounding(new ModelPoint(576, 393), new ModelBox(135, 114, 1016, 672), "dog"),
				new Grounding(new ModelPoint(40, 20), new ModelBox(20, 10, 60, 30), "cat"));
	}

	@Test
	void readsPointsAndOcrText() {
		assertThat(parser.parse("[{\"point_2d\": [12, 34], \"text_content\": \"Total\"}]"))
			.containsExactly(new Grounding(new ModelPoint(12, 34), null, "Total"));
	}

	@Test
	void keepsTheCompleteElementsOfAListCutOffByTheTokenLimit() {
		String output = "```json\n[\n{\"bbox_2d\": [0, 0, 10, 10], \"label\": \"a\"},\n{\"bbox_2d\": [20, 20, 3";
		assertThat(parser.parse(output)).extracting(Grounding::label).containsExactly("a");
	}

	@Test
	void fallsBackToBareCoordinatesInText() {
		assertThat(parser.parsePoint("The button is at (410, 92).")).isEqualTo(new ModelPoint(410, 92));
		assertThat(parser.parsePoint("box: [10, 10, 30, 50]")).isEqualTo(new ModelPoint(20, 30));
	}

	@Test
	void rejectsAnswersWithoutCoordinates() {
		assertThatThrownBy(() -> parser.parse("I cannot find it.")).isInstanceOf(UnparseableOutputException.class)
			.hasMessageContaining("bbox_2d");
	}

}
