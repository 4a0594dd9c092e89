package dev.sightline.vision.chat;

import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.PngEncoder;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * An image of a conversation, with an optional per-request pixel budget that overrides the checkpoint's
 * {@code preprocessor_config.json}. It holds either encoded bytes (PNG, JPEG or WebP, as a request brings them) or
 * decoded pixels (a screenshot the agent already holds): the in-process model patches pixels without an encode and
 * decode round trip, and a remote endpoint gets them as a PNG encoded on first use.
 */
public final class ImagePart implements Part {

	private final @Nullable RgbImage pixels;

	private final Optional<PixelBudget> budget;

	private volatile byte @Nullable [] encoded;

	/** Encoded bytes, decoded by the model's processor. */
	public ImagePart(byte[] encoded, Optional<PixelBudget> budget) {
		this.encoded = Objects.requireNonNull(encoded, "encoded");
		this.budget = Objects.requireNonNull(budget, "budget");
		this.pixels = null;
	}

	/** Decoded pixels, patched as they are (resized first only when not at the size the model's rule gives). */
	public ImagePart(RgbImage pixels, Optional<PixelBudget> budget) {
		this.pixels = Objects.requireNonNull(pixels, "pixels");
		this.budget = Objects.requireNonNull(budget, "budget");
	}

	public static ImagePart of(byte[] encoded) {
		return new ImagePart(encoded, Optional.empty());
	}

	public static ImagePart of(RgbImage pixels) {
		return new ImagePart(pixels, Optional.empty());
	}

	/** The decoded pixels when this part was made from them; empty for encoded bytes. */
	public Optional<RgbImage> pixels() {
		return Optional.ofNullable(pixels);
	}

	public Optional<PixelBudget> budget() {
		return budget;
	}

	/**
	 * The encoded bytes: as given, or a PNG of the pixels encoded on the first call (only where bytes must leave the
	 * process).
	 */
	public byte[] encoded() {
		byte[] bytes = encoded;
		if (bytes == null) {
			// Racing first calls encode twice and keep either: the same pixels give the same PNG.
			bytes = PngEncoder.encode(Objects.requireNonNull(pixels));
			encoded = bytes;
		}
		return bytes;
	}

	@Override
	public String toString() {
		return pixels != null ? "ImagePart[pixels " + pixels.size() + "]"
				: "ImagePart[" + encoded().length + " encoded bytes]";
	}

}
