package dev.sightline.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Click;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.prompt.ToolCallFormat;
import dev.sightline.tools.prompt.UiTarsPrompt;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * The coordinate contract of every family, as one property: a target at a known screen point, a screenshot of some
 * size, aspect ratio and device pixel ratio, the answer a perfect model of the family gives in its own space and
 * grammar; parsing it through the profile and mapping it with the one {@link CoordinateMapping} lands on the target
 * within the family's quantisation.
 *
 * <p>
 * The bound, in screen px: an answer is whole numbers, so a perfect answer is off by at most half of one answer step.
 * For an absolute family (Qwen2.5-VL, UI-TARS-1.5) the step is one model-image pixel, {@code W_screen / W_model}
 * screen px: within 1 px whenever the model image is no more than 2x smaller than the screen, and within half a model
 * pixel when it is smaller still (the budget then decides the resolution). For Qwen3-VL the step is one grid cell,
 * {@code W_screen / 1000} px, and the grid answer becomes a model-image pixel before the mapping, adding half a model
 * pixel: within {@code W_screen / 1000 / 2 + W_screen / W_model / 2}, which is within "the grid's quantisation + 1 px"
 * whenever the model image is no more than 2x smaller than the screen. In the last answer step before the right or
 * bottom edge, where the rounded answer is clamped to the image's last pixel, the bound is one whole model pixel.
 */
class CoordinateContractTest {

	private static final double[] DEVICE_PIXEL_RATIOS = { 1, 1.25, 1.5, 2, 2.625, 3 };

	private static final List<PixelBudget> BUDGETS = List.of(new PixelBudget(3136, 1_003_520),
			new PixelBudget(3136, 200_704), new PixelBudget(3136, 2_408_448));

	private static final double EPSILON = 1e-6;

	@ParameterizedTest
	@EnumSource(ModelProfile.class)
	void aPerfectAnswerLandsOnTheTargetWithinTheFamilysQuantisation(ModelProfile profile) {
		Random random = new Random(21L + profile.ordinal());
		int checked = 0;
		for (int i = 0; i < 4_000; i++) {
			// Screens from phones to 4K and very wide or tall ones, in screen (CSS / X) px.
			int screenWidth = 200 + random.nextInt(3_700);
			double aspect = Math.exp((random.nextDouble() * 2 - 1) * Math.log(6));
			int screenHeight = Math.max(100, (int) Math.round(screenWidth / aspect));
			double dpr = DEVICE_PIXEL_RATIOS[random.nextInt(DEVICE_PIXEL_RATIOS.length)];
			ImageSize screenshot = new ImageSize((int) Math.round(screenWidth * dpr), (int) Math.round(screenHeight * dpr));
			PixelBudget budget = BUDGETS.get(random.nextInt(BUDGETS.size()));
			CoordinateMapping mapping = CoordinateMapping.forScreenshot(screenshot, dpr, budget);
			ScreenPoint target = new ScreenPoint(random.nextDouble() * mapping.screenWidthPx(),
					random.nextDouble() * mapping.screenHeightPx());

			String answer = perfectAnswer(profile, target, mapping);
			List<Action> actions = profile.parseActions(answer, mapping.model());
			assertThat(actions).as(answer).hasSize(1);
			ModelPoint at = ((Click) actions.getFirst()).at();
			ScreenPoint executed = mapping.toScreen(at);

			double modelStepX = mapping.screenWidthPx() / mapping.model().widthPx();
			double modelStepY = mapping.screenHeightPx() / mapping.model().heightPx();
			double boundX = bound(profile, modelStepX, target.xPx(), mapping.screenWidthPx());
			double boundY = bound(profile, modelStepY, target.yPx(), mapping.screenHeightPx());
			String where = profile + " screen " + screenWidth + "x" + screenHeight + " @" + dpr + " budget "
					+ budget.maxPixels() + " model " + mapping.model() + " target " + target + " answer " + answer;
			assertThat(Math.abs(executed.xPx() - target.xPx())).as("x error, " + where).isLessThanOrEqualTo(boundX);
			assertThat(Math.abs(executed.yPx() - target.yPx())).as("y error, " + where).isLessThanOrEqualTo(boundY);
			if (modelStepX <= 2 && !nearFarEdge(profile, modelStepX, target.xPx(), mapping.screenWidthPx())) {
				double stated = profile.coordinates() == CoordinateSpace.RELATIVE_1000
						? mapping.screenWidthPx() / CoordinateSpace.GRID + 1 : 1;
				assertThat(Math.abs(executed.xPx() - target.xPx())).as("stated bound, " + where)
					.isLessThanOrEqualTo(stated + EPSILON);
				checked++;
			}
		}
		assertThat(checked).as("cases where the stated 1 px bound applies").isGreaterThan(1_000);
	}

	/**
	 * Half an answer step, plus half a model pixel where the answer is converted to model pixels first. In the last
	 * half step before the right or bottom edge the rounded answer would be one past the image's last pixel and is
	 * clamped to it, so there a whole model pixel is the bound.
	 */
	private static double bound(ModelProfile profile, double modelStep, double target, double screenSize) {
		double half = switch (profile.coordinates()) {
			case MODEL_PIXELS -> modelStep / 2;
			case RELATIVE_1000 -> screenSize / CoordinateSpace.GRID / 2 + modelStep / 2;
		};
		double edge = nearFarEdge(profile, modelStep, target, screenSize) ? Math.max(half, modelStep) : half;
		return Math.max(1, edge) + EPSILON;
	}

	private static boolean nearFarEdge(ModelProfile profile, double modelStep, double target, double screenSize) {
		double step = profile.coordinates() == CoordinateSpace.RELATIVE_1000
				? Math.max(modelStep, screenSize / CoordinateSpace.GRID) : modelStep;
		return target >= screenSize - step;
	}

	/** What a perfect model of the family writes for a click on {@code target}: its grammar, its space. */
	private static String perfectAnswer(ModelProfile profile, ScreenPoint target, CoordinateMapping mapping) {
		ModelPoint own = switch (profile.coordinates()) {
			case MODEL_PIXELS -> mapping.toModel(target);
			case RELATIVE_1000 -> new ModelPoint(
					(int) Math.round(target.xPx() / mapping.screenWidthPx() * CoordinateSpace.GRID),
					(int) Math.round(target.yPx() / mapping.screenHeightPx() * CoordinateSpace.GRID));
		};
		return switch (profile) {
			case QWEN2_5_VL, QWEN3_VL -> ToolCallFormat.toolCall(new LeftClick(own));
			case UI_TARS_1_5 -> "Thought: Click the target.\nAction: " + UiTarsPrompt.action(new LeftClick(own));
		};
	}

}
