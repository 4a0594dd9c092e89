package dev.sightline.vision.batching;

import dev.sightline.vision.VisionRuntimeException;

/** A request reached a scheduler that is shutting down; the model server answers it with 503. */
public class SchedulerClosedException extends VisionRuntimeException {

	public SchedulerClosedException() {
		super("the model is shutting down");
	}

}
