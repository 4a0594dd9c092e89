package dev.sightline.tools.testing;

import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.MouseButton;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
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
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.keys.KeyNames;

/**
 * Performs the model's actions of {@code act} on the test's own page with Playwright's mouse and keyboard in CSS px,
 * as the agent's browser executor does on pages it owns (same button mapping, wheel sign and key names), without
 * its pool, navigation policy or download handling: the test owns this page.
 */
final class PageActions {

	private PageActions() {
	}

	/** A sentence saying what was done. */
	static String perform(Page page, Action action, CoordinateMapping mapping) {
		// Map every point first: an off-screen point must fail before anything is pressed.
		action.points().forEach(mapping::toScreen);
		Mouse mouse = page.mouse();
		return switch (action) {
			case Click click -> {
				String where = "";
				if (click.at() != null) {
					ScreenPoint at = mapping.toScreen(click.at());
					mouse.move(at.xPx(), at.yPx());
					where = " at " + at;
				}
				MouseButton button = switch (click.button()) {
					case LEFT -> MouseButton.LEFT;
					case RIGHT -> MouseButton.RIGHT;
					case MIDDLE -> MouseButton.MIDDLE;
				};
				for (int count = 1; count <= click.clickCount(); count++) {
					mouse.down(new Mouse.DownOptions().setButton(button).setClickCount(count));
					mouse.up(new Mouse.UpOptions().setButton(button).setClickCount(count));
				}
				yield click.name().replace('_', ' ') + where;
			}
			case MouseMove move -> {
				ScreenPoint at = mapping.toScreen(move.at());
				mouse.move(at.xPx(), at.yPx());
				yield "mouse move to " + at;
			}
			case LeftClickDrag drag -> {
				if (drag.from() != null) {
					ScreenPoint from = mapping.toScreen(drag.from());
					mouse.move(from.xPx(), from.yPx());
				}
				ScreenPoint to = mapping.toScreen(drag.to());
				mouse.down();
				mouse.move(to.xPx(), to.yPx(), new Mouse.MoveOptions().setSteps(12));
				mouse.up();
				yield "drag to " + to;
			}
			case Scroll scroll -> {
				if (scroll.at() != null) {
					ScreenPoint at = mapping.toScreen(scroll.at());
					mouse.move(at.xPx(), at.yPx());
				}
				// The schema's positive pixels scroll up; a wheel's positive deltaY scrolls down.
				mouse.wheel(0, -scroll.pixels());
				yield "scroll " + (scroll.pixels() > 0 ? "up " : "down ") + Math.abs(scroll.pixels()) + " px";
			}
			case Key key -> {
				String chord = KeyNames.playwright(key.keys());
				page.keyboard().press(chord);
				yield "key " + chord;
			}
			case TypeText type -> {
				page.keyboard().type(type.text());
				yield "type \"" + type.text() + "\"";
			}
			case Wait wait -> {
				page.waitForTimeout(wait.durationMs());
				yield "wait " + wait.durationMs() + " ms";
			}
			case Navigate navigate -> {
				page.navigate(navigate.url());
				yield "navigate to " + navigate.url();
			}
			case Back back -> {
				page.goBack();
				yield "back to " + page.url();
			}
			case Forward forward -> {
				page.goForward();
				yield "forward to " + page.url();
			}
			case Reload reload -> {
				page.reload();
				yield "reload " + page.url();
			}
			case Terminate terminate -> "terminate (" + terminate.status().wireName() + ")";
			case Answer answer -> "answer \"" + answer.text() + "\"";
		};
	}

}
