package dev.sightline.tools.testing;

import java.util.List;

import com.microsoft.playwright.Page;

import dev.sightline.vision.chat.VisionLanguageModel;

/**
 * Natural-language steps, assertions and queries on a Playwright {@link Page}, grounded by Qwen2.5-VL on
 * screenshots of the viewport. Targets are described as a person would ("the Sign in button"); locations are cached
 * per page, instruction and viewport ({@link SightlineOptions#cache()}) so a rerun of an unchanged page asks no
 * model. Not thread-safe, like the page it drives.
 *
 * <pre>{@code
 * SightlineAi ai = SightlineAi.create(page, ModelEndpoint.of("http://127.0.0.1:8000/v1"));
 * ai.input("the email field", "ada@example.com");
 * ai.tap("the Sign in button");
 * ai.assertThat("the header greets Ada");
 * }</pre>
 */
public interface SightlineAi {

	/** On a model running in this JVM (e.g. vision-runtime's {@code QwenVl}). */
	static SightlineAi create(Page page, VisionLanguageModel model) {
		return create(page, model, SightlineOptions.defaults());
	}

	static SightlineAi create(Page page, VisionLanguageModel model, SightlineOptions options) {
		return new SightlineAiImpl(page, model, options);
	}

	static SightlineAi create(Page page, ModelEndpoint endpoint) {
		return create(page, endpoint.connect(), SightlineOptions.defaults());
	}

	static SightlineAi create(Page page, ModelEndpoint endpoint, SightlineOptions options) {
		return create(page, endpoint.connect(), options);
	}

	/** Left-clicks the centre of what {@code target} describes. */
	void tap(String target);

	void doubleTap(String target);

	void rightTap(String target);

	/** Moves the mouse over {@code target}. */
	void hover(String target);

	/** Taps {@code target}, selects its content and types {@code text} in its place. */
	void input(String target, String text);

	/** Presses a key or chord, e.g. {@code "Enter"}, {@code "Control+A"}, {@code "ctrl+shift+t"}. */
	void keyboardPress(String keys);

	/** Scrolls {@code target} by about one viewport (80%) in {@code direction}. */
	void scroll(String target, ScrollDirection direction);

	/** Where {@code target} is, in CSS px of the viewport, from the cache or the model. */
	Location locate(String target);

	/**
	 * Asks the model whether {@code statement} holds for the page as shown.
	 * @throws SightlineAssertionError when it does not, with the model's reason and the screenshot
	 */
	void assertThat(String statement);

	/**
	 * Checks {@code statement} every {@link SightlineOptions#pollIntervalMs()} until it holds.
	 * @throws SightlineAssertionError when it still does not after {@code timeoutMs}, with the last reason
	 */
	void waitFor(String statement, long timeoutMs);

	/** Reads {@code question}'s answer from the page into {@code type}, a record whose JSON schema the model gets. */
	<T> T query(String question, Class<T> type);

	boolean queryBoolean(String question);

	double queryNumber(String question);

	String queryString(String question);

	/** Lets the model reach {@code goal} with mouse and keyboard in at most {@link ActOptions#defaults()} turns. */
	ActResult act(String goal);

	/**
	 * Lets the model reach {@code goal} with mouse and keyboard.
	 * @throws SightlineAssertionError when the model gives up or runs out of turns
	 */
	ActResult act(String goal, ActOptions options);

	/** Every step so far, oldest first. */
	List<Step> steps();

	/** Model requests so far. */
	int modelCalls();

	/** Locations answered by the cache without the model so far. */
	int cacheHits();

	Page page();

}
