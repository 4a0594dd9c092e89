package dev.sightline.vision.qwen.generate;

import java.util.List;

import dev.sightline.vision.chat.FinishReason;

/**
 * Generated ids (a final stop token included) and why generation ended.
 *
 * @param decodeMs time from the first pick to the end: sampling and every later model step
 */
public record Completion(List<Integer> tokenIds, FinishReason finishReason, double decodeMs) {

	public Completion {
		tokenIds = List.copyOf(tokenIds);
	}

}
