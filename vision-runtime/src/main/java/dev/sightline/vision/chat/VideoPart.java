package dev.sightline.vision.chat;

import java.util.List;
import java.util.Objects;

/** A clip as timed frames (recorded screens, or frames sampled from a decoded video file). */
public record VideoPart(List<TimedFrame> frames) implements Part {

	public VideoPart {
		frames = List.copyOf(Objects.requireNonNull(frames, "frames"));
	}

}
