package dev.sightline.tools.execute;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ScreenPoint;

/**
 * The agent's hands on one target (a browser context, an X display): takes screenshots and performs actions whose
 * points are in model pixels, mapped with the {@link CoordinateMapping} of the screenshot the model saw. One task
 * uses one executor from one thread; closing it releases the target.
 *
 * <p>
 * Besides acting, an executor answers the two questions the service asks of any target, so callers never need to
 * know which kind it is: what lies under a point (approval rules) and where a typed secret may show (masking).
 */
public interface Executor extends AutoCloseable {

	Screenshot screenshot();

	/**
	 * Performs {@code action} and waits, within a bound, for its effect (navigation, network quiet, repaint).
	 * {@code terminate} and {@code answer} do nothing and return at once.
	 * @throws dev.sightline.tools.coords.OutOfScreenException when a point lies outside the model image
	 */
	ActionOutcome execute(Action action, CoordinateMapping mapping);

	/** What this executor drives, for logs and task records ("chromium 1280x720@1 http://...", "X display :99"). */
	String describeTarget();

	/** The URL of the page input goes to now; empty where the target has no pages (a desktop). */
	Optional<String> pageUrl();

	/**
	 * What lies at {@code at} (screen pixels), or has the keyboard focus when {@code at} is null, read so that the
	 * target's content cannot lie about it. {@link PointInfo#UNKNOWN} where the target cannot tell.
	 */
	PointInfo inspect(@Nullable ScreenPoint at);

	/**
	 * Records that the field with the keyboard focus just received a secret: from now on {@link #maskSecrets} covers
	 * where it may show. The record is the executor's own, not something the target's content can remove.
	 */
	void secretTyped();

	/**
	 * The JavaScript dialog the target's page has open and waits on, if any; the model answers it with the
	 * {@code dialog} action. Targets without dialogs (a desktop) have none.
	 */
	default Optional<OpenDialog> openDialog() {
		return Optional.empty();
	}

	/** {@code shot} with every region that may show a typed secret painted over; {@code shot} when there is none. */
	Screenshot maskSecrets(Screenshot shot);

	@Override
	void close();

}
