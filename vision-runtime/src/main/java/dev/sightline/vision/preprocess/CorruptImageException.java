package dev.sightline.vision.preprocess;

/** Bytes of an accepted format that cannot be decoded: truncated, damaged or inconsistent. */
public class CorruptImageException extends InvalidImageException {

	public CorruptImageException(String message, Throwable cause) {
		super(message, cause);
	}

}
