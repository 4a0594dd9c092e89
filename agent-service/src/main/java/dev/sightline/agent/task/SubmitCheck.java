package dev.sightline.agent.task;

/**
 * A check every submitted request passes before anything is stored, contributed by a feature that lives outside
 * {@code task} (the result schema's limits, the webhook URL's network policy): the task module names the port, the
 * feature implements it, so no arrow points from {@code task} back to them.
 */
@FunctionalInterface
public interface SubmitCheck {

	/** @throws TaskException (usually {@link TaskException.Invalid}) naming what is wrong and the limit */
	void check(String tenant, TaskRequest request);

}
