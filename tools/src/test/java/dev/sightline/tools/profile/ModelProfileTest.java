package dev.sightline.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.parse.Grounding;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.prompt.ToolCallFormat;
import dev.sightline.tools.prompt.UiTarsPrompt;
import dev.sightline.vision.preprocess.ImageSize;

class ModelProfileTest {

	private static final ImageSize MODEL = new ImageSize(1288, 728);

	@ParameterizedTest
	@EnumSource(ModelProfile.class)
	void readsBackWhatAPerfectModelOfTheFamilyAnswers(ModelProfile profile) {
		// Points on both grids' lattices, so the relative round trip is exact.
		List<Action> actions = List.of(new LeftClick(new ModelPoint(644, 364)),
				new LeftClickDrag(new ModelPoint(0, 0), new ModelPoint(966, 546)), new TypeText("lamp"),
				Key.of("ctrl", "a"), new Scroll(-500, new ModelPoint(322, 182)));
		assertThat(profile.parseActions(perfectAnswer(profile, actions), MODEL)).containsExactlyElementsOf(actions);
	}

	@Test
	void qwen3AnswersOnTheRelativeGridAndItsPromptAnnouncesIt() {
		ModelProfile qwen3 = ModelProfile.QWEN3_VL;
		String raw = "<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", "
				+ "\"coordinate\": [500, 250]}}\n</tool_call>";
		assertThat(qwen3.parseActions(raw, MODEL)).containsExactly(new LeftClick(new ModelPoint(644, 182)));
		assertThat(ModelProfile.QWEN2_5_VL.parseActions(raw, MODEL)).containsExactly(new LeftClick(new ModelPoint(500, 250)));
		assertThat(qwen3.inOwnSpace(new LeftClick(new ModelPoint(644, 182)), MODEL))
			.isEqualTo(new LeftClick(new ModelPoint(500, 250)));
	}

	@Test
	void qwen3RejectsPointsFarOffTheGrid() {
		String raw = "<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", "
				+ "\"coordinate\": [1400, 20]}}</tool_call>";
		assertThatThrownBy(() -> ModelProfile.QWEN3_VL.parseActions(raw, MODEL))
			.isInstanceOf(UnparseableOutputException.class)
			.hasMessageContaining("[0, 1000]");
		// Slightly above 1000 is tolerated and clamped to the last pixel.
		assertThat(ModelProfile.QWEN3_VL.parseActions(raw.replace("1400", "1003"), MODEL))
			.containsExactly(new LeftClick(new ModelPoint(1287, 15)));
	}

	@Test
	void groundingFollowsTheFamilysSpace() {
		assertThat(ModelProfile.QWEN2_5_VL.parseGrounding("[{\"point_2d\": [100, 200]}]", MODEL).point())
			.isEqualTo(new ModelPoint(100, 200));
		Grounding relative = ModelProfile.QWEN3_VL.parseGrounding("```json\n[{\"bbox_2d\": [0, 0, 500, 500]}]\n```",
				MODEL);
		assertThat(relative.point()).isEqualTo(new ModelPoint(322, 182));
		assertThat(relative.box()).isNotNull();
		assertThat(relative.box().rightPx()).isEqualTo(644);
		assertThat(ModelProfile.UI_TARS_1_5.parseGrounding("Action: click(start_box='(40,50)')", MODEL).point())
			.isEqualTo(new ModelPoint(40, 50));
	}

	@Test
	void profilesAreNamedAsTheSettingSpellsThem() {
		assertThat(ModelProfile.of("qwen2.5-vl")).isEqualTo(ModelProfile.QWEN2_5_VL);
		assertThat(ModelProfile.of("Qwen3-VL")).isEqualTo(ModelProfile.QWEN3_VL);
		assertThat(ModelProfile.of("ui-tars-1.5")).isEqualTo(ModelProfile.UI_TARS_1_5);
		assertThat(ModelProfile.UI_TARS_1_5.screenshotsKept()).isEqualTo(5);
		assertThat(ModelProfile.UI_TARS_1_5.keepsThoughts()).isTrue();
		assertThat(ModelProfile.QWEN2_5_VL.keepsThoughts()).isFalse();
	}

	/** The actions as a model of the family writes them: its grammar, its coordinate space. */
	private static String perfectAnswer(ModelProfile profile, List<Action> actions) {
		List<Action> own = actions.stream()
			.map(action -> ActionPoints.map(action, point -> profile.coordinates().fromModelPixels(point, MODEL)))
			.toList();
		return switch (profile) {
			case QWEN2_5_VL, QWEN3_VL -> own.stream().map(ToolCallFormat::toolCall).collect(Collectors.joining("\n"));
			case UI_TARS_1_5 -> UiTarsPrompt.answer("I act on the target.", own);
		};
	}

}
