package dev.sightline.vision.hub;

/**
 * A downloaded file whose digest differs from the hub's metadata. The partial data is deleted, so a retry downloads
 * the file again from its first byte.
 */
public class ChecksumMismatchException extends HubException {

	public ChecksumMismatchException(String message) {
		super(message);
	}

}
