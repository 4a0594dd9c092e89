package dev.sightline.vision.chat;

import java.util.Objects;

/** One encoded video frame and the second at which it was captured (absolute time drives M-RoPE time ids). */
public record TimedFrame(byte[] encoded, double timestampSec) {

	public TimedFrame {
		Objects.requireNonNull(encoded, "encoded");
		if (!Double.isFinite(timestampSec) || timestampSec < 0) {
			throw new IllegalArgumentException("frame timestamp must be a finite number of seconds >= 0, got "
					+ timestampSec);
		}
	}

}
