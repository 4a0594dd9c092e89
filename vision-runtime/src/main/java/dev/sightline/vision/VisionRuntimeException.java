package dev.sightline.vision;

/** Root of every exception vision-runtime throws on purpose; subtypes exist where callers act differently. */
public class VisionRuntimeException extends RuntimeException {

	public VisionRuntimeException(String message) {
		super(message);
	}

	public VisionRuntimeException(String message, Throwable cause) {
		super(message, cause);
	}

}
