package dev.sightline.vision.hub;

import dev.sightline.vision.VisionRuntimeException;

/** A model that cannot be resolved or downloaded: unknown repository, refused token, network failure, bad cache. */
public class HubException extends VisionRuntimeException {

	public HubException(String message) {
		super(message);
	}

	public HubException(String message, Throwable cause) {
		super(message, cause);
	}

}
