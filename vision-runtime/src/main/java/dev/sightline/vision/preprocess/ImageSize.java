package dev.sightline.vision.preprocess;

/** Width and height of an image in its own pixels. */
public record ImageSize(int widthPx, int heightPx) {

	public ImageSize {
		if (widthPx <= 0 || heightPx <= 0) {
			throw new InvalidImageException("image size must be positive, got " + widthPx + "x" + heightPx);
		}
	}

	public long pixels() {
		return (long) widthPx * heightPx;
	}

	@Override
	public String toString() {
		return widthPx + "x" + heightPx;
	}

}
