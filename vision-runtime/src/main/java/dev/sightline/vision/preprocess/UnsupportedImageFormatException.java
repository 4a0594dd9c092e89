package dev.sightline.vision.preprocess;

/** Bytes that are not one of the accepted encodings (PNG, JPEG, WebP). */
public class UnsupportedImageFormatException extends InvalidImageException {

	public UnsupportedImageFormatException(String message) {
		super(message);
	}

}
