package dev.sightline.vision.preprocess;

/** An image whose header declares more pixels than the decoder's ceiling (a decompression bomb guard). */
public class ImageTooLargeException extends InvalidImageException {

	public ImageTooLargeException(String message) {
		super(message);
	}

}
