package dev.sightline.vision.chat;

import java.util.Objects;
import java.util.Optional;

import dev.sightline.vision.preprocess.PixelBudget;

/**
 * An encoded image (PNG, JPEG or WebP bytes, as screenshots arrive) with an optional per-request pixel budget that
 * overrides the checkpoint's {@code preprocessor_config.json}.
 */
public record ImagePart(byte[] encoded, Optional<PixelBudget> budget) implements Part {

	public ImagePart {
		Objects.requireNonNull(encoded, "encoded");
		Objects.requireNonNull(budget, "budget");
	}

	public static ImagePart of(byte[] encoded) {
		return new ImagePart(encoded, Optional.empty());
	}

}
