package dev.sightline.tools.execute;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.CoordinateMapping;

/**
 * The agent's hands on one target (a browser context, an X display): takes screenshots and performs actions whose
 * points are in model pixels, mapped with the {@link CoordinateMapping} of the screenshot the model saw. One task
 * uses one executor from one thread; closing it releases the target.
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

	@Override
	void close();

}
