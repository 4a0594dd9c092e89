package dev.sightline.tools.browser;

import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.Click;
import dev.sightline.tools.actions.Forward;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.Reload;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.keys.KeyNames;

/**
 * The model's actions performed on a page with Playwright's mouse and keyboard, in CSS px: the one piece of code
 * behind {@link BrowserExecutor#execute} (pages the agent owns) and the test library's {@code act} (the test's own
 * page). What differs between them, navigation and waiting, comes in as {@link Navigation}. Remembers where the
 * pointer is, for clicks without a coordinate.
 */
public final class PageInput {

	/** How navigations and waits run on the page. */
	public interface Navigation {

		/** Loads {@code url} in {@code page} (the agent checks its navigation policy first). */
		void navigate(Page page, String url);

		/** Waits {@code ms} (the agent keeps watching its downloads meanwhile). */
		void pause(Page page, long ms);

		/** Limit of back, forward and reload. */
		double navigationTimeoutMs();

	}

	/** Playwright's own navigation and waits, for a page a test owns. */
	public static final Navigation OWN_PAGE = new Navigation() {

		@Override
		public void navigate(Page page, String url) {
			page.navigate(url);
		}

		@Override
		public void pause(Page page, long ms) {
			page.waitForTimeout(ms);
		}

		@Override
		public double navigationTimeoutMs() {
			return 30_000;
		}

	};

	private final Navigation navigation;

	private @Nullable ScreenPoint pointer;

	public PageInput(Navigation navigation) {
		this.navigation = navigation;
	}

	/**
	 * Performs {@code action} on {@code page}; a sentence saying what was done. Points are mapped first, so an
	 * off-screen point fails before anything is pressed.
	 *
	 * @throws dev.sightline.tools.coords.OutOfScreenException when a point lies outside the model image
	 */
	public String perform(Page page, Action action, CoordinateMapping mapping) {
		action.points().forEach(mapping::toScreen);
		Mouse mouse = page.mouse();
		return switch (action) {
			case Click click -> {
				ScreenPoint at = click.at() == null ? requirePointer(click.name()) : mapping.toScreen(click.at());
				pointer = at;
				com.microsoft.playwright.options.MouseButton button = switch (click.button()) {
					case LEFT -> com.microsoft.playwright.options.MouseButton.LEFT;
					case RIGHT -> com.microsoft.playwright.options.MouseButton.RIGHT;
					case MIDDLE -> com.microsoft.playwright.options.MouseButton.MIDDLE;
				};
				// One driver call: Playwright moves, then presses with rising click counts (as a person's double or
				// triple click reaches the page). Separate move/down/up calls cost a driver round trip each.
				mouse.click(at.xPx(), at.yPx(),
						new Mouse.ClickOptions().setButton(button).setClickCount(click.clickCount()));
				yield click.name().replace('_', ' ') + " at " + at;
			}
			case MouseMove move -> "mouse move to " + moveTo(page, move.at(), mapping);
			case LeftClickDrag drag -> {
				ScreenPoint from = drag.from() == null ? requirePointer(drag.name()) : moveTo(page, drag.from(), mapping);
				ScreenPoint to = mapping.toScreen(drag.to());
				mouse.down();
				mouse.move(to.xPx(), to.yPx(), new Mouse.MoveOptions().setSteps(12));
				mouse.up();
				pointer = to;
				yield "drag from " + from + " to " + to;
			}
			case Scroll scroll -> {
				String where = scroll.at() == null ? "" : " at " + moveTo(page, scroll.at(), mapping);
				// The schema's positive pixels scroll up; a wheel's positive deltaY scrolls down.
				mouse.wheel(0, -scroll.pixels());
				yield "scroll " + (scroll.pixels() > 0 ? "up " : "down ") + Math.abs(scroll.pixels()) + " px" + where;
			}
			case Key key -> {
				String chord = KeyNames.playwright(key.keys());
				page.keyboard().press(chord);
				yield "key " + chord;
			}
			case TypeText type -> {
				page.keyboard().type(type.text());
				yield "type " + type.text().length() + " characters";
			}
			case Wait wait -> {
				navigation.pause(page, wait.durationMs());
				yield "wait " + wait.durationMs() + " ms";
			}
			case Navigate navigate -> {
				navigation.navigate(page, navigate.url());
				yield "navigate to " + navigate.url();
			}
			case Back back -> page.goBack(new Page.GoBackOptions().setTimeout(navigation.navigationTimeoutMs())) == null
					? "back: no previous page" : "back to " + page.url();
			case Forward forward -> page
				.goForward(new Page.GoForwardOptions().setTimeout(navigation.navigationTimeoutMs())) == null
						? "forward: no next page" : "forward to " + page.url();
			case Reload reload -> {
				page.reload(new Page.ReloadOptions().setTimeout(navigation.navigationTimeoutMs()));
				yield "reload " + page.url();
			}
			case Terminate terminate -> "terminate (" + terminate.status().wireName() + ")";
			case Answer answer -> "answer";
			// A task's executor answers dialogs before any input is sent (BrowserExecutor); a test's page answers
			// its own (Playwright dismisses them unless the test listens).
			case AnswerDialog dialog -> "dialog " + dialog.button();
		};
	}

	private ScreenPoint moveTo(Page page, ModelPoint point, CoordinateMapping mapping) {
		ScreenPoint at = mapping.toScreen(point);
		page.mouse().move(at.xPx(), at.yPx());
		pointer = at;
		return at;
	}

	private ScreenPoint requirePointer(String action) {
		if (pointer == null) {
			throw new ToolsException(action + " without a coordinate needs the pointer placed by an earlier action");
		}
		return pointer;
	}

}
