package dev.sightline.agent.video;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Binds {@code frames} of a video question while counting them: the element past
 * {@link VideoSettings#MAX_FRAMES_CEILING} stops the parse (413) before it or any later frame is bound, so a body of
 * many small frames cannot make a huge list first and be refused after. The configured
 * {@code sightline.video.max-frames} (at most the ceiling) is checked after binding.
 */
final class BoundedFramesDeserializer extends ValueDeserializer<List<VideoController.FrameInput>> {

	@Override
	public List<VideoController.FrameInput> deserialize(JsonParser parser, DeserializationContext context) {
		if (!parser.isExpectedStartArrayToken()) {
			return context.reportInputMismatch(this, "frames must be an array of {image, timestampSec}, got %s",
					parser.currentToken());
		}
		List<VideoController.FrameInput> frames = new ArrayList<>();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			if (frames.size() == VideoSettings.MAX_FRAMES_CEILING) {
				throw VideoProblem.tooLong("frames has more than " + VideoSettings.MAX_FRAMES_CEILING
						+ " entries, the ceiling of any video question (sightline.video.max-frames is at most that)");
			}
			frames.add(context.readValue(parser, VideoController.FrameInput.class));
		}
		return frames;
	}

}
