package dev.sightline.tools.execute;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageResize;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.PngEncoder;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * The target as captured, in device pixels, with the device pixel ratio that relates them to screen pixels (CSS px
 * in a browser; 1 on a desktop). It holds the form the target gave (a browser's PNG, a desktop's raw pixels) and
 * makes the other on first use, once: {@link #pixels()} for the model and masking, {@link #png()} for the places
 * bytes must leave the process (the task recording, a remote model).
 */
public final class Screenshot {

	private static final ImageDecoder DECODER = new ImageDecoder();

	private final ImageSize size;

	private final double devicePixelRatio;

	private final Instant capturedAt;

	private volatile @Nullable RgbImage pixels;

	private volatile byte @Nullable [] png;

	private volatile @Nullable CompletableFuture<byte[]> encoding;

	private Screenshot(@Nullable RgbImage pixels, byte @Nullable [] png, ImageSize size, double devicePixelRatio,
			Instant capturedAt) {
		if (png != null && png.length == 0) {
			throw new IllegalArgumentException("screenshot PNG is empty");
		}
		this.pixels = pixels;
		this.png = png;
		this.size = size;
		this.devicePixelRatio = devicePixelRatio;
		this.capturedAt = Objects.requireNonNull(capturedAt, "capturedAt");
	}

	/** Raw pixels (a desktop's frame, a masked copy): the PNG is encoded only when something asks for bytes. */
	public static Screenshot ofPixels(RgbImage pixels, double devicePixelRatio, Instant capturedAt) {
		return new Screenshot(pixels, null, pixels.size(), devicePixelRatio, capturedAt);
	}

	/**
	 * A PNG as the target encoded it (Chromium's capture): kept for the recording, decoded once when the pixels are
	 * needed. Its size is read from the header.
	 */
	public static Screenshot ofPng(byte[] png, double devicePixelRatio, Instant capturedAt) {
		return new Screenshot(null, png, new ImageSize(PngSize.width(png), PngSize.height(png)), devicePixelRatio,
				capturedAt);
	}

	public ImageSize size() {
		return size;
	}

	public int widthPx() {
		return size.widthPx();
	}

	public int heightPx() {
		return size.heightPx();
	}

	public double devicePixelRatio() {
		return devicePixelRatio;
	}

	public Instant capturedAt() {
		return capturedAt;
	}

	/** The decoded RGB pixels; decoded from the PNG on the first call where the target gave a PNG. */
	public RgbImage pixels() {
		RgbImage decoded = pixels;
		if (decoded == null) {
			// Racing first calls decode twice and keep either: the same bytes give the same pixels.
			decoded = DECODER.decode(Objects.requireNonNull(png));
			pixels = decoded;
		}
		return decoded;
	}

	/** The PNG: the target's own, else encoded on the first call (or by {@link #encodeInBackground}). */
	public byte[] png() {
		byte[] bytes = png;
		if (bytes != null) {
			return bytes;
		}
		CompletableFuture<byte[]> started = encoding;
		bytes = started != null ? started.join() : PngEncoder.encode(pixels());
		png = bytes;
		return bytes;
	}

	/**
	 * Starts encoding the PNG on a virtual thread when there is none yet, so a later {@link #png()} (the step's
	 * recording) finds it done instead of paying for it on the step's critical path. Nothing is lost:
	 * {@link #png()} waits for it.
	 */
	public Screenshot encodeInBackground() {
		if (png == null && encoding == null) {
			RgbImage source = pixels();
			encoding = CompletableFuture.supplyAsync(() -> PngEncoder.encode(source),
					command -> Thread.ofVirtual().name("screenshot-png").start(command));
		}
		return this;
	}

	/** This screenshot with other pixels of the same size (a masked copy); its PNG is made anew when needed. */
	public Screenshot withPixels(RgbImage replaced) {
		if (!replaced.size().equals(size)) {
			throw new IllegalArgumentException(
					"replacement pixels are " + replaced.size() + ", the screenshot is " + size);
		}
		return ofPixels(replaced, devicePixelRatio, capturedAt);
	}

	/** Whether {@code other} shows exactly the same pixels (the verify-after-act check). */
	public boolean samePixels(@Nullable Screenshot other) {
		if (other == null || !other.size.equals(size)) {
			return false;
		}
		byte[] mine = png;
		byte[] theirs = other.png;
		if (mine != null && theirs != null && Arrays.equals(mine, theirs)) {
			return true;
		}
		return Arrays.equals(pixels().rgb(), other.pixels().rgb());
	}

	/** The mapping for this screenshot once the model gets it resized by {@code resize}. */
	public CoordinateMapping mapping(ImageResize resize) {
		return new CoordinateMapping(size, resize.size(size), devicePixelRatio);
	}

	/** The mapping for a model with Qwen2.5-VL's resize rule within {@code budget}. */
	public CoordinateMapping mapping(PixelBudget budget) {
		return mapping(ImageResize.qwen25(budget));
	}

	@Override
	public String toString() {
		return "Screenshot[" + size + "@" + devicePixelRatio + " " + capturedAt + "]";
	}

}
