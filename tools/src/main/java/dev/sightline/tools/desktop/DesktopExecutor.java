package dev.sightline.tools.desktop;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.nio.charset.StandardCharsets;

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
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.PointInfo;
import dev.sightline.tools.execute.ScreenshotMask;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.keys.KeyNames;

/**
 * Drives an X display through one X11 connection of its own: screenshots read the root window's pixels
 * ({@code GetImage}) and the pointer moves and presses through XTEST, without a process start per step. Keys and
 * text go through {@code xdotool}, which knows keysyms and keymaps. Where the direct connection is impossible (no
 * local socket, refused, an unusual pixel format) screenshots fall back to {@code ffmpeg -f x11grab} and the pointer to
 * xdotool. X pixels are screen pixels (device pixel ratio 1). Browser navigation actions are refused: a desktop has no
 * current tab.
 */
public final class DesktopExecutor implements Executor {

	/** X has no pixel scrolling: one wheel click is what Chromium and most toolkits treat as 100 px. */
	static final int PIXELS_PER_WHEEL_CLICK = 100;

	private static final long COMMAND_TIMEOUT_MS = 15_000;

	/** Lets the application repaint before the next screenshot; X input is asynchronous. */
	private static final long SETTLE_MS = 30;

	private final DesktopSession session;

	/** Steps of a drag's pointer path: toolkits (sliders, drag and drop) react to the motion in between. */
	private static final int DRAG_STEPS = 12;

	private final X11Commands x11;

	private final @Nullable X11Connection connection;

	private @Nullable ScreenPoint pointer;

	private volatile boolean secretTyped;

	DesktopExecutor(DesktopSession session, X11Commands x11) {
		this.session = session;
		this.x11 = x11;
		this.connection = connect(session);
	}

	private static @Nullable X11Connection connect(DesktopSession session) {
		String display = session.display();
		// Screens other than the first (":0.1") are rare; the tools handle them.
		boolean firstScreen = !display.contains(".") || display.endsWith(".0");
		if (!firstScreen || !X11Connection.hasLocalSocket(display)) {
			return null;
		}
		try {
			return session.authFile().isPresent() ? X11Connection.open(display, session.cookie())
					: X11Connection.open(display);
		}
		catch (ToolsException ex) {
			// The command-line tools still work (e.g. they may find a cookie elsewhere); they are only slower.
			return null;
		}
	}

	/** Whether screenshots and pointer input use the direct X11 connection rather than ffmpeg and xdotool. */
	public boolean direct() {
		return connection != null;
	}

	@Override
	public Screenshot screenshot() {
		if (connection != null) {
			// Raw pixels: the model takes them as they are; a PNG is made only for the recording.
			return Screenshot.ofPixels(connection.rootPixels(), 1, Instant.now());
		}
		int width = session.size().widthPx();
		int height = session.size().heightPx();
		byte[] png = x11.run(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "x11grab", "-draw_mouse", "0",
				"-video_size", width + "x" + height, "-i", session.display(), "-frames:v", "1", "-c:v", "png",
				"-compression_level", "1", "-f", "image2pipe", "pipe:1"), null, COMMAND_TIMEOUT_MS);
		if (png.length == 0) {
			throw new ToolsException("ffmpeg returned no image for display " + session.display());
		}
		return Screenshot.ofPng(png, 1, Instant.now());
	}

	@Override
	public ActionOutcome execute(Action action, CoordinateMapping mapping) {
		List<ScreenPoint> points = action.points().stream().map(mapping::toScreen).toList();
		long startNs = System.nanoTime();
		if (connection != null && isPointerAction(action)) {
			String performed = pointerAction(connection, action, points);
			connection.sync();
			sleep(SETTLE_MS);
			ScreenPoint at = points.isEmpty() ? null : points.get(points.size() - 1);
			return ActionOutcome.simple(action, performed, at, (System.nanoTime() - startNs) / 1_000_000);
		}
		List<String> command = new ArrayList<>(List.of("xdotool"));
		byte[] stdin = null;
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
				// On stdin, never argv: the text may be a secret, and /proc/PID/cmdline is world-readable.
				command.addAll(List.of("type", "--delay", "8", "--file", "-"));
				stdin = type.text().getBytes(StandardCharsets.UTF_8);
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
			case AnswerDialog dialog -> throw notOnDesktop(action);
			case Terminate terminate -> "terminate (" + terminate.status().wireName() + ")";
			case Answer answer -> "answer";
		};
		if (command.size() > 1) {
			x11.run(command, stdin, COMMAND_TIMEOUT_MS);
			sleep(SETTLE_MS);
		}
		ScreenPoint at = points.isEmpty() ? null : points.get(points.size() - 1);
		return ActionOutcome.simple(action, performed, at, (System.nanoTime() - startNs) / 1_000_000);
	}

	private static boolean isPointerAction(Action action) {
		return action instanceof Click || action instanceof MouseMove || action instanceof LeftClickDrag
				|| action instanceof Scroll;
	}

	/** Pointer actions through XTEST; the caller syncs with the server afterwards. */
	private String pointerAction(X11Connection x, Action action, List<ScreenPoint> points) {
		return switch (action) {
			case Click click -> {
				if (click.at() != null) {
					move(x, points.get(0));
				}
				int button = switch (click.button()) {
					case LEFT -> 1;
					case MIDDLE -> 2;
					case RIGHT -> 3;
				};
				for (int i = 0; i < click.clickCount(); i++) {
					x.button(button, true);
					x.button(button, false);
				}
				yield click.name().replace('_', ' ') + (click.at() == null ? " at the pointer" : " at " + points.get(0));
			}
			case MouseMove move -> {
				move(x, points.get(0));
				yield "mouse move to " + points.get(0);
			}
			case LeftClickDrag drag -> {
				ScreenPoint to = points.get(points.size() - 1);
				ScreenPoint from = drag.from() != null ? points.get(0) : pointer;
				if (from != null) {
					move(x, from);
				}
				x.button(1, true);
				// Without a known start (pointer placed by someone else) the path is one step to the end.
				for (int step = from == null ? DRAG_STEPS : 1; step <= DRAG_STEPS; step++) {
					double t = step / (double) DRAG_STEPS;
					move(x, from == null ? to : new ScreenPoint(from.xPx() + (to.xPx() - from.xPx()) * t,
							from.yPx() + (to.yPx() - from.yPx()) * t));
				}
				x.button(1, false);
				yield "drag to " + to;
			}
			case Scroll scroll -> {
				if (scroll.at() != null) {
					move(x, points.get(0));
				}
				int clicks = Math.max(1, Math.round(Math.abs(scroll.pixels()) / (float) PIXELS_PER_WHEEL_CLICK));
				int button = scroll.pixels() > 0 ? 4 : 5;
				for (int i = 0; i < clicks; i++) {
					x.button(button, true);
					x.button(button, false);
				}
				yield "scroll " + (scroll.pixels() > 0 ? "up " : "down ") + clicks + " wheel clicks";
			}
			default -> throw new IllegalStateException("not a pointer action: " + action.name());
		};
	}

	private void move(X11Connection x, ScreenPoint point) {
		x.movePointer((int) Math.floor(point.xPx()), (int) Math.floor(point.yPx()));
		pointer = point;
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

	@Override
	public Optional<String> pageUrl() {
		return Optional.empty();
	}

	/** An X display has no element tree to ask: nothing is known about a point. */
	@Override
	public PointInfo inspect(@Nullable ScreenPoint at) {
		return PointInfo.UNKNOWN;
	}

	/**
	 * X cannot tell where the focused field is (no element boxes; toolkits draw their own), so after a secret was
	 * typed every later screenshot is masked whole: the model and the task record see a black frame rather than a
	 * secret a toolkit may show in clear text.
	 */
	@Override
	public void secretTyped() {
		secretTyped = true;
	}

	@Override
	public Screenshot maskSecrets(Screenshot shot) {
		return secretTyped ? ScreenshotMask.whole(shot) : shot;
	}

	/** Closes this executor's X11 connection; the display itself belongs to its {@link DesktopSession}. */
	@Override
	public void close() {
		if (connection != null) {
			connection.close();
		}
	}

}
