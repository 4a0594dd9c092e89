package dev.sightline.tools.desktop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.sightline.tools.ToolsException;
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
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.PngSize;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.keys.KeyNames;

/**
 * Drives an X display: screenshots with {@code ffmpeg -f x11grab} (one PNG frame), mouse and keyboard with
 * {@code xdotool}, each action one xdotool invocation with chained commands. X pixels are screen pixels (device
 * pixel ratio 1). Browser navigation actions are refused: a desktop has no current tab.
 */
public final class DesktopExecutor implements Executor {

	/** X has no pixel scrolling: one wheel click is what Chromium and most toolkits treat as 100 px. */
	static final int PIXELS_PER_WHEEL_CLICK = 100;

	private static final long COMMAND_TIMEOUT_MS = 15_000;

	/** Lets the application repaint before the next screenshot; X input is asynchronous. */
	private static final long SETTLE_MS = 30;

	private final DesktopSession session;

	private final X11Commands x11;

	DesktopExecutor(DesktopSession session, X11Commands x11) {
		this.session = session;
		this.x11 = x11;
	}

	@Override
	public Screenshot screenshot() {
		int width = session.size().widthPx();
		int height = session.size().heightPx();
		byte[] png = x11.run(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "x11grab", "-draw_mouse", "0",
				"-video_size", width + "x" + height, "-i", session.display(), "-frames:v", "1", "-c:v", "png",
				"-compression_level", "1", "-f", "image2pipe", "pipe:1"), COMMAND_TIMEOUT_MS);
		if (png.length == 0) {
			throw new ToolsException("ffmpeg returned no image for display " + session.display());
		}
		return new Screenshot(png, PngSize.width(png), PngSize.height(png), 1, Instant.now());
	}

	@Override
	public ActionOutcome execute(Action action, CoordinateMapping mapping) {
		List<ScreenPoint> points = action.points().stream().map(mapping::toScreen).toList();
		long startNs = System.nanoTime();
		List<String> command = new ArrayList<>(List.of("xdotool"));
		String performed = switch (action) {
			case Click click -> {
				if (click.at() != null) {
					moveTo(command, points.get(0));
				}
				int button = switch (click.button()) {
					case LEFT -> 1;
					case MIDDLE -> 2;
					case RIGHT -> 3;
				};
				command.addAll(List.of("click", "--repeat", String.valueOf(click.clickCount()), "--delay", "80",
						String.valueOf(button)));
				yield click.name().replace('_', ' ') + (click.at() == null ? " at the pointer" : " at " + points.get(0));
			}
			case MouseMove move -> {
				moveTo(command, points.get(0));
				yield "mouse move to " + points.get(0);
			}
			case LeftClickDrag drag -> {
				ScreenPoint to = points.get(points.size() - 1);
				if (drag.from() != null) {
					moveTo(command, points.get(0));
				}
				command.addAll(List.of("mousedown", "1"));
				moveTo(command, to);
				command.addAll(List.of("mouseup", "1"));
				yield "drag to " + to;
			}
			case Scroll scroll -> {
				if (scroll.at() != null) {
					moveTo(command, points.get(0));
				}
				int clicks = Math.max(1, Math.round(Math.abs(scroll.pixels()) / (float) PIXELS_PER_WHEEL_CLICK));
				command.addAll(List.of("click", "--repeat", String.valueOf(clicks), "--delay", "10",
						scroll.pixels() > 0 ? "4" : "5"));
				yield "scroll " + (scroll.pixels() > 0 ? "up " : "down ") + clicks + " wheel clicks";
			}
			case Key key -> {
				String chord = KeyNames.xdotool(key.keys());
				command.addAll(List.of("key", "--clearmodifiers", chord));
				yield "key " + chord;
			}
			case TypeText type -> {
				command.addAll(List.of("type", "--delay", "8", "--", type.text()));
				yield "type " + type.text().length() + " characters";
			}
			case Wait wait -> {
				sleep(wait.durationMs());
				yield "wait " + wait.durationMs() + " ms";
			}
			case Navigate navigate -> throw notOnDesktop(action);
			case Back back -> throw notOnDesktop(action);
			case Forward forward -> throw notOnDesktop(action);
			case Reload reload -> throw notOnDesktop(action);
			case Terminate terminate -> "terminate (" + terminate.status().wireName() + ")";
			case Answer answer -> "answer";
		};
		if (command.size() > 1) {
			x11.run(command, COMMAND_TIMEOUT_MS);
			sleep(SETTLE_MS);
		}
		ScreenPoint at = points.isEmpty() ? null : points.get(points.size() - 1);
		return ActionOutcome.simple(action, performed, at, (System.nanoTime() - startNs) / 1_000_000);
	}

	private static void moveTo(List<String> command, ScreenPoint point) {
		// X positions are whole pixels; mapping gives fractions when the model image is scaled. No --sync: it blocks
		// forever when the pointer is already there, and chained xdotool commands run in order anyway.
		command.addAll(List.of("mousemove", String.valueOf((int) Math.floor(point.xPx())),
				String.valueOf((int) Math.floor(point.yPx()))));
	}

	private static ToolsException notOnDesktop(Action action) {
		return new ToolsException("action '" + action.name() + "' needs a browser; this task drives an X display");
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ToolsException("interrupted while waiting", ex);
		}
	}

	@Override
	public String describeTarget() {
		return String.format(Locale.ROOT, "X display %s %s%s", session.display(), session.size(),
				session.owned() ? " (Xvfb started by Sightline)" : "");
	}

	/** Nothing to release: the display belongs to its {@link DesktopSession}. */
	@Override
	public void close() {
	}

}
