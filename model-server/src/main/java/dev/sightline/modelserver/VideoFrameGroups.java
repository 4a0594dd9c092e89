package dev.sightline.modelserver;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;

/**
 * Rebuilds timed clips from the request extension {@value #FIELD}: clients whose OpenAI library has no video part
 * (Sightline's Spring AI backend) send a clip's frames as consecutive {@code image_url} parts and list here, per clip,
 * the index of its first image (counted over all messages in order) and each frame's capture time. The frames then
 * keep their real timestamps, so {@code second_per_grid_t} follows absolute time (spec §7.6).
 */
final class VideoFrameGroups {

	static final String FIELD = "sightline_video_frames";

	private VideoFrameGroups() {
	}

	static Conversation apply(Conversation conversation, JsonNode groups) {
		if (groups.isMissingNode() || groups.isNull()) {
			return conversation;
		}
		if (!groups.isArray()) {
			throw ApiException.invalid(FIELD, FIELD + " must be an array of {first_image, timestamps_sec}");
		}
		List<Message> messages = conversation.messages();
		for (int g = 0; g < groups.size(); g++) {
			messages = group(messages, groups.get(g), FIELD + "[" + g + "]");
		}
		return new Conversation(messages);
	}

	private static List<Message> group(List<Message> messages, JsonNode group, String param) {
		JsonNode first = group.path("first_image");
		JsonNode times = group.path("timestamps_sec");
		if (!first.isIntegralNumber() || first.asInt() < 0 || !times.isArray() || times.isEmpty()) {
			throw ApiException.invalid(param,
					"each clip needs first_image (an image index >= 0) and a non-empty timestamps_sec array");
		}
		int start = first.asInt();
		int seen = 0;
		List<Message> result = new ArrayList<>(messages);
		for (int m = 0; m < messages.size(); m++) {
			List<Part> parts = messages.get(m).parts();
			for (int p = 0; p < parts.size(); p++) {
				if (!(parts.get(p) instanceof ImagePart)) {
					continue;
				}
				if (seen == start) {
					result.set(m, new Message(messages.get(m).role(), regrouped(parts, p, times, param)));
					return result;
				}
				seen++;
			}
		}
		throw ApiException.invalid(param, "first_image " + start + " is beyond the request's " + seen + " images");
	}

	private static List<Part> regrouped(List<Part> parts, int from, JsonNode times, String param) {
		int count = times.size();
		if (from + count > parts.size()) {
			throw ApiException.invalid(param, count + " timestamps but only " + (parts.size() - from)
					+ " parts follow the first frame in its message");
		}
		List<TimedFrame> frames = new ArrayList<>(count);
		for (int k = 0; k < count; k++) {
			if (!(parts.get(from + k) instanceof ImagePart image)) {
				throw ApiException.invalid(param, "frame " + k + " of the clip is not an image part");
			}
			JsonNode t = times.get(k);
			if (!t.isNumber() || !(t.asDouble() >= 0)) {
				throw ApiException.invalid(param, "timestamps_sec[" + k + "] must be a number >= 0, got " + t);
			}
			frames.add(new TimedFrame(image.encoded(), t.asDouble()));
		}
		List<Part> result = new ArrayList<>(parts.subList(0, from));
		result.add(new VideoPart(frames));
		result.addAll(parts.subList(from + count, parts.size()));
		return result;
	}

}
