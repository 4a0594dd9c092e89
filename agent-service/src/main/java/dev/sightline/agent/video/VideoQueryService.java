package dev.sightline.agent.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;


import dev.sightline.agent.model.ModelBackend;
import dev.sightline.tools.model.ModelCallException;
import dev.sightline.tools.model.ModelImage;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.InvalidImageException;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.SmartResize;
import dev.sightline.vision.video.VideoSampling;

/**
 * Asks the configured model a question about a clip and finds the moments its answer names. The model sees clip time
 * from 0 at the first frame (M-RoPE time ids start there, spec §7.6); the answer's moments are moved back to the
 * source's timeline, so a task's moments line up with its steps.
 */
public final class VideoQueryService {

	/**
	 * What the model said and which frames it saw.
	 *
	 * @param frames the frames sent, with their timestamps in the source's timeline
	 */
	public record Answer(String answer, List<Moment> moments, List<ClipFrame> frames, String model, double modelMs) {
	}

	private static final ImageDecoder DECODER = new ImageDecoder();

	private final ModelBackend models;

	private final VideoSettings settings;

	private final MomentParser moments = new MomentParser();

	public VideoQueryService(ModelBackend models, VideoSettings settings) {
		this.models = models;
		this.settings = settings;
	}

	public Answer ask(List<ClipFrame> frames, String question) {
		if (frames.isEmpty()) {
			throw VideoProblem.undecodable("a video question needs at least 1 frame, got 0");
		}
		VisionLanguageModel model = models.model();
		double originSec = frames.get(0).timestampSec();
		PixelBudget budget = frameBudget(frames.size(), model.pixelBudget());
		List<TimedFrame> timed = new ArrayList<>(frames.size());
		for (ClipFrame frame : frames) {
			timed.add(new TimedFrame(resized(frame, budget), frame.timestampSec() - originSec));
		}
		Conversation conversation = new Conversation(
				List.of(Message.user(new VideoPart(timed), new TextPart(prompt(timed, question)))));
		Generation generation;
		try {
			generation = model.generate(conversation,
					GenerationOptions.GREEDY.withMaxNewTokens(settings.maxNewTokens()));
		}
		catch (ModelCallException e) {
			throw VideoProblem.modelFailed(e.getMessage());
		}
		String text = generation.text().strip();
		List<Moment> found = moments.parse(text).stream().map(m -> m.shifted(originSec)).toList();
		return new Answer(text, found, frames, model.name(),
				generation.visionMs() + generation.prefillMs() + generation.decodeMs());
	}

	/**
	 * qwen-vl-utils' per-frame share of the video budget (spec §5), never above the model's image budget: frames go
	 * to the model already at this size, so a remote server's own resize is an identity.
	 */
	static PixelBudget frameBudget(int frames, PixelBudget imageBudget) {
		VideoSampling sampling = VideoSampling.DEFAULTS;
		long max = Math.min(sampling.frameMaxPixels(Math.max(frames, VideoSampling.FRAME_FACTOR)),
				imageBudget.maxPixels());
		long min = Math.min(sampling.minPixels(), max);
		return new PixelBudget(min, max);
	}

	private static byte[] resized(ClipFrame frame, PixelBudget budget) {
		try {
			ImageSize size = DECODER.probe(frame.encoded());
			return ModelImage.resizedPng(frame.encoded(), size, SmartResize.fit(size, budget));
		}
		catch (InvalidImageException e) {
			throw VideoProblem.undecodable(String.format(Locale.ROOT, "frame at %.3f s: %s", frame.timestampSec(),
					e.getMessage()));
		}
	}

	static String prompt(List<TimedFrame> frames, String question) {
		String times = frames.stream()
			.map(f -> String.format(Locale.ROOT, "%.1f", f.timestampSec()))
			.collect(Collectors.joining(", "));
		return "The video is a screen recording. Its " + frames.size() + " frames were captured at these seconds: "
				+ times + ".\n"
				+ "Answer the question. If the answer refers to moments of the video, end with them as JSON: "
				+ "[{\"start\": seconds, \"end\": seconds, \"description\": \"what happens\"}].\n" + "Question: "
				+ question;
	}

}
