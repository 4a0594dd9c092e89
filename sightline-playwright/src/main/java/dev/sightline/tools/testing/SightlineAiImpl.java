package dev.sightline.tools.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.MouseButton;
import com.microsoft.playwright.options.ScreenshotType;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelBox;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.keys.KeyNames;
import dev.sightline.tools.profile.ModelProfiles;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.constrain.JsonGrammar;
import dev.sightline.tools.browser.PageInput;
import dev.sightline.tools.prompt.AgentConversation;
import dev.sightline.tools.prompt.HistoryWindow;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.tools.turn.Located;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.Reply;
import dev.sightline.tools.turn.TurnLoop;
import dev.sightline.tools.turn.TurnLoop.Asked;
import dev.sightline.tools.turn.TurnLoop.Ending;
import dev.sightline.tools.turn.TurnLoop.Observed;
import dev.sightline.tools.turn.TurnLoop.Performed;
import dev.sightline.tools.turn.TurnPipeline;

/** {@link SightlineAi} on one page: each step screenshots, asks the model (or the cache) and acts in CSS px. */
final class SightlineAiImpl implements SightlineAi {

	/** How long a step waits for a navigation it may have started to load. */
	private static final long SETTLE_TIMEOUT_MS = 10_000;

	private final Page page;

	private final SightlineOptions options;

	private final PageProbe probe;

	private final TurnPipeline turns;

	private final List<Step> steps = new ArrayList<>();

	private int modelCalls;

	private int cacheHits;

	private @Nullable StepRun current;

	/** What the running step gathered for its report entry. */
	private static final class StepRun {

		byte @Nullable [] screenshotPng;

		@Nullable ScreenPoint point;

		@Nullable CssBox box;

		boolean cacheHit;

		int modelCalls;

		final List<String> notes = new ArrayList<>();

	}

	/** The screenshot as captured (for reports) and as the model gets it. */
	private record Shot(byte[] png, ModelView view) {
	}

	private record Judgement(boolean pass, String reason, byte[] png) {
	}

	private record BooleanValue(boolean value) {
	}

	private record NumberValue(double value) {
	}

	private record StringValue(String value) {
	}

	SightlineAiImpl(Page page, VisionLanguageModel model, SightlineOptions options) {
		this.page = page;
		this.options = options;
		this.turns = new TurnPipeline(model,
				ModelProfiles.forServedModel("sightline.testing.model-profile", options.profile(), model.name()));
		this.probe = new PageProbe(page);
	}

	@Override
	public void tap(String target) {
		click("tap", target, MouseButton.LEFT, 1);
	}

	@Override
	public void doubleTap(String target) {
		click("doubleTap", target, MouseButton.LEFT, 2);
	}

	@Override
	public void rightTap(String target) {
		click("rightTap", target, MouseButton.RIGHT, 1);
	}

	private void click(String kind, String target, MouseButton button, int clickCount) {
		step(kind, target, () -> {
			ScreenPoint at = resolve(target).point();
			page.mouse()
				.click(at.xPx(), at.yPx(), new com.microsoft.playwright.Mouse.ClickOptions().setButton(button)
					.setClickCount(clickCount));
			settle();
			return "clicked at " + at;
		});
	}

	@Override
	public void hover(String target) {
		step("hover", target, () -> {
			ScreenPoint at = resolve(target).point();
			page.mouse().move(at.xPx(), at.yPx());
			settle();
			return "pointer at " + at;
		});
	}

	@Override
	public void input(String target, String text) {
		step("input", target + " ← \"" + text + "\"", () -> {
			ScreenPoint at = resolve(target).point();
			page.mouse().click(at.xPx(), at.yPx());
			// Replace, not append: what a person does to fill a field that may hold a value.
			page.keyboard().press("ControlOrMeta+A");
			page.keyboard().press("Delete");
			page.keyboard().type(text);
			settle();
			return "typed " + text.length() + " characters at " + at;
		});
	}

	@Override
	public void keyboardPress(String keys) {
		step("keyboardPress", keys, () -> {
			String chord = KeyNames.playwright(KeyNames.chord(List.of(keys)));
			page.keyboard().press(chord);
			settle();
			return "pressed " + chord;
		});
	}

	@Override
	public void scroll(String target, ScrollDirection direction) {
		step("scroll", target + " " + direction.name().toLowerCase(java.util.Locale.ROOT), () -> {
			ScreenPoint at = resolve(target).point();
			int[] viewport = probe.viewportPx();
			double dx = viewport[0] * 0.8;
			double dy = viewport[1] * 0.8;
			page.mouse().move(at.xPx(), at.yPx());
			switch (direction) {
				case UP -> page.mouse().wheel(0, -dy);
				case DOWN -> page.mouse().wheel(0, dy);
				case LEFT -> page.mouse().wheel(-dx, 0);
				case RIGHT -> page.mouse().wheel(dx, 0);
			}
			settle();
			return "wheel at " + at;
		});
	}

	@Override
	public Location locate(String target) {
		return step("locate", target, () -> resolve(target));
	}

	@Override
	public void assertThat(String statement) {
		step("assertThat", statement, () -> {
			Judgement judgement = judge(statement);
			if (!judgement.pass()) {
				throw new SightlineAssertionError(
						"Expected: " + statement + "\nbut the model judged it false: " + judgement.reason(),
						judgement.reason(), judgement.png());
			}
			return "holds: " + judgement.reason();
		});
	}

	@Override
	public void waitFor(String statement, long timeoutMs) {
		if (timeoutMs < 0) {
			throw new IllegalArgumentException("timeoutMs must be >= 0, got " + timeoutMs);
		}
		step("waitFor", statement, () -> {
			long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
			int checks = 0;
			while (true) {
				Judgement judgement = judge(statement);
				checks++;
				if (judgement.pass()) {
					return "holds after " + checks + " check(s): " + judgement.reason();
				}
				if (System.nanoTime() + options.pollIntervalMs() * 1_000_000 > deadlineNs) {
					throw new SightlineAssertionError("Timed out after " + timeoutMs + " ms (" + checks
							+ " checks) waiting for: " + statement + "\nthe model's last reason: " + judgement.reason(),
							judgement.reason(), judgement.png());
				}
				page.waitForTimeout(options.pollIntervalMs());
			}
		});
	}

	@Override
	public <T> T query(String question, Class<T> type) {
		return step("query", question, () -> extract(question, type));
	}

	@Override
	public boolean queryBoolean(String question) {
		return step("queryBoolean", question, () -> extract(question, BooleanValue.class).value());
	}

	@Override
	public double queryNumber(String question) {
		return step("queryNumber", question, () -> extract(question, NumberValue.class).value());
	}

	@Override
	public String queryString(String question) {
		return step("queryString", question, () -> extract(question, StringValue.class).value());
	}

	@Override
	public ActResult act(String goal) {
		return act(goal, ActOptions.defaults());
	}

	@Override
	public ActResult act(String goal, ActOptions actOptions) {
		return step("act", goal, () -> {
			GoalSteps driver = new GoalSteps(goal);
			// Unlike a task, a test's goal is not asked again on an unusable answer: the test fails and says why.
			Ending<Void> ending = new TurnLoop<Void>(turns, actOptions.maxSteps(), 0).run(driver);
			List<String> done = driver.done;
			return switch (ending) {
				case Ending.Done<Void> finished -> {
					current().notes.add(String.join("; ", done));
					yield new ActResult(done, finished.steps(), null);
				}
				case Ending.Answered<Void> answered -> {
					current().notes.add("answer: " + answered.text());
					yield new ActResult(done, answered.steps(), answered.text());
				}
				case Ending.GaveUp<Void> gaveUp -> throw couldNot(goal, "the model gave up on the goal after "
						+ gaveUp.steps() + " turn(s), having done: " + (done.isEmpty() ? "nothing" : String.join("; ", done)),
						driver.lastPng);
				case Ending.OutOfSteps<Void> out -> throw couldNot(goal, "the goal was not reached within "
						+ actOptions.maxSteps() + " turns (maxSteps), having done: " + String.join("; ", done),
						screenshotPng());
				case Ending.Unparseable<Void> unusable -> throw new SightlineException("turn " + unusable.steps()
						+ " of act: " + unusable.problem() + "; the model answered: "
						+ JsonAnswer.abbreviate(unusable.answer()));
				case Ending.Stopped<Void> stopped -> throw new IllegalStateException("act has no reason to stop");
			};
		});
	}

	/** {@code ai.act}'s side of the shared agent loop: the test's page, driven by the same code as browser tasks. */
	private final class GoalSteps implements TurnLoop.Driver<Void> {

		private final String goal;

		private final PageInput input = new PageInput(PageInput.OWN_PAGE);

		/** What the performed actions did, across turns. */
		final List<String> done = new ArrayList<>();

		byte[] lastPng = new byte[0];

		GoalSteps(String goal) {
			this.goal = goal;
		}

		@Override
		public AgentConversation conversation(ModelView first) {
			return new AgentConversation(turns.profile(), goal, true, List.of(), first.size(), HistoryWindow.DEFAULT);
		}

		@Override
		public Observed observe(int turn) {
			Shot shot = capture();
			lastPng = shot.png();
			return new Observed(shot.view(), List.of());
		}

		@Override
		public Asked<Void> ask(Conversation question, ModelView view, int attempt) {
			return new Asked.Replied<>(SightlineAiImpl.this.ask(question, view));
		}

		@Override
		public Performed<Void> perform(int turn, Action action, CoordinateMapping mapping) {
			String line = input.perform(page, action, mapping);
			done.add(line);
			settle();
			return new Performed.Ran<>(line);
		}

	}

	private static SightlineAssertionError couldNot(String goal, String reason, byte[] png) {
		return new SightlineAssertionError("Could not: " + goal + "\n" + reason, reason, png);
	}

	@Override
	public List<Step> steps() {
		return List.copyOf(steps);
	}

	@Override
	public int modelCalls() {
		return modelCalls;
	}

	@Override
	public int cacheHits() {
		return cacheHits;
	}

	@Override
	public Page page() {
		return page;
	}

	/** The location of {@code target}: a cached element still on the page, else the model's, cached afresh. */
	private Location resolve(String target) {
		if (target.isBlank()) {
			throw new IllegalArgumentException("a target description must not be blank");
		}
		int[] viewport = probe.viewportPx();
		CacheKey key = new CacheKey(CacheKey.urlPattern(page.url()), target.strip(), viewport[0], viewport[1]);
		StepRun run = current();
		if (options.cacheMode().reads()) {
			Optional<CachedLocation> cached = options.cache().find(key);
			if (cached.isPresent()) {
				PageProbe.Verdict verdict = probe.verify(cached.get());
				CssBox box = verdict.box();
				if (box != null) {
					cacheHits++;
					run.cacheHit = true;
					run.point = box.centre();
					run.box = box;
					run.notes.add("cache hit " + cached.get().selector());
					if (options.recordScreenshots()) {
						run.screenshotPng = screenshotPng();
					}
					return new Location(box.centre(), box, cached.get().selector(), true);
				}
				run.notes.add("cached " + cached.get().selector() + " no longer fits: " + verdict.mismatch());
			}
		}
		Shot shot = capture();
		Reply answer = ask(Prompts.groundingBox(turns.profile(), target, shot.view().image()), shot.view());
		Located found;
		try {
			found = turns.locate(answer);
		}
		catch (UnparseableOutputException e) {
			throw new SightlineException("the model did not locate " + target + ": " + e.getMessage()
					+ "; it answered: " + JsonAnswer.abbreviate(answer.text()), e);
		}
		ScreenPoint point = found.point();
		CssBox box = found.grounding().box() == null ? null : toCss(found.grounding().box(), found.mapping());
		run.point = point;
		run.box = box;
		PageProbe.Element element = probe.elementAt(point);
		if (element != null && options.cacheMode().writes()) {
			options.cache().save(key, new CachedLocation(element.selector(), element.fingerprint(), element.box(),
					Instant.now()));
			run.notes.add("cached as " + element.selector());
		}
		return new Location(point, box, element == null ? null : element.selector(), false);
	}

	private static CssBox toCss(ModelBox box, CoordinateMapping mapping) {
		// A box's right and bottom edges may lie on the image border, one past the last pixel the mapping accepts.
		int maxX = mapping.model().widthPx() - 1;
		int maxY = mapping.model().heightPx() - 1;
		ScreenPoint topLeft = mapping.toScreen(new ModelPoint(clamp(box.leftPx(), maxX), clamp(box.topPx(), maxY)));
		ScreenPoint bottomRight = mapping
			.toScreen(new ModelPoint(clamp(box.rightPx(), maxX), clamp(box.bottomPx(), maxY)));
		return new CssBox(topLeft.xPx(), topLeft.yPx(), bottomRight.xPx() - topLeft.xPx(),
				bottomRight.yPx() - topLeft.yPx());
	}

	private static int clamp(int value, int max) {
		return Math.max(0, Math.min(value, max));
	}

	private Judgement judge(String statement) {
		Shot shot = capture();
		Reply answer = ask(Prompts.judge(statement, shot.view().image()), shot.view());
		JsonNode json = JsonAnswer.read(answer.text());
		JsonNode pass = json.get("pass");
		if (pass == null || !pass.isBoolean()) {
			throw new SightlineException("the model's judgement has no boolean \"pass\": "
					+ JsonAnswer.abbreviate(answer.text()));
		}
		String reason = json.path("reason").asText("(no reason given)");
		current().notes.add((pass.asBoolean() ? "pass: " : "fail: ") + reason);
		return new Judgement(pass.asBoolean(), reason, shot.png());
	}

	private <T> T extract(String question, Class<T> type) {
		String schema;
		try {
			schema = JsonAnswer.LENIENT.writeValueAsString(JsonSchemas.of(type));
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("cannot write the schema of " + type.getName(), e);
		}
		Shot shot = capture();
		// Decoded into the schema where constrained decoding can enforce it (in process, or response_format for an
		// endpoint); Jackson's reading below still checks the answer, for endpoints that ignore the format.
		GenerationOptions answerOptions = GenerationOptions.GREEDY.withMaxNewTokens(options.maxNewTokens());
		Optional<JsonGrammar> grammar = JsonGrammar.enforceable(schema);
		if (grammar.isPresent()) {
			answerOptions = answerOptions.withFormat(grammar.get());
		}
		Reply answer = ask(Prompts.extract(question, schema, shot.view().image()), shot.view(), answerOptions);
		JsonNode json = JsonAnswer.read(answer.text());
		current().notes.add(json.toString());
		try {
			return JsonAnswer.LENIENT.treeToValue(json, type);
		}
		catch (JsonProcessingException | IllegalArgumentException e) {
			throw new SightlineException("the model's answer does not fit " + type.getSimpleName() + " (" + e.getMessage()
					+ "): " + JsonAnswer.abbreviate(answer.text()), e);
		}
	}

	private Reply ask(Conversation conversation, ModelView view) {
		return ask(conversation, view, GenerationOptions.GREEDY.withMaxNewTokens(options.maxNewTokens()));
	}

	private Reply ask(Conversation conversation, ModelView view, GenerationOptions generationOptions) {
		modelCalls++;
		current().modelCalls++;
		return turns.ask(conversation, generationOptions, view);
	}

	/** The viewport as the model gets it, through the turn pipeline. */
	private Shot capture() {
		byte[] png = screenshotPng();
		Screenshot shot = Screenshot.ofPng(png, probe.devicePixelRatio(), Instant.now());
		return new Shot(png, turns.view(shot));
	}

	private byte[] screenshotPng() {
		byte[] png = page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.PNG));
		current().screenshotPng = png;
		return png;
	}

	/** Lets the page react: a started navigation loads, input handlers repaint. */
	private void settle() {
		try {
			probe.awaitRepaint();
		}
		catch (PlaywrightException e) {
			// The page navigated away during the wait; the load below covers it.
		}
		try {
			page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(SETTLE_TIMEOUT_MS));
		}
		catch (TimeoutError e) {
			// Bounded on purpose: a slow page is judged as it is, and the next step may wait for it.
		}
	}

	private StepRun current() {
		StepRun run = current;
		if (run == null) {
			throw new IllegalStateException("no step is running");
		}
		return run;
	}

	private <T> T step(String kind, String instruction, Supplier<T> work) {
		StepRun run = new StepRun();
		StepRun outer = current;
		current = run;
		Instant started = Instant.now();
		long startNs = System.nanoTime();
		boolean passed = false;
		String detail = "";
		try {
			T result = work.get();
			passed = true;
			detail = result instanceof Location location ? "at " + location.point() : String.valueOf(result);
			return result;
		}
		catch (RuntimeException | Error e) {
			detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
			throw e;
		}
		finally {
			current = outer;
			int[] viewport = viewportOrZero();
			String notes = run.notes.isEmpty() ? "" : " [" + String.join("; ", run.notes) + "]";
			steps.add(new Step(kind, instruction, started, (System.nanoTime() - startNs) / 1_000_000, passed,
					detail + notes, run.cacheHit, run.modelCalls, run.screenshotPng, viewport[0], viewport[1],
					run.point, run.box));
		}
	}

	private int[] viewportOrZero() {
		try {
			return probe.viewportPx();
		}
		catch (PlaywrightException e) {
			return new int[] { 0, 0 };
		}
	}

}
