package dev.sightline.vision.qwen3.prompt;

import java.util.List;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.prompt.PromptException;
import dev.sightline.vision.tokenizer.QwenTokenizer;

/**
 * The processor's video expansion (QWEN3_VL spec §5.4): each {@code <|vision_start|><|video_pad|><|vision_end|>}
 * the chat template wrote (or a bare {@code <|video_pad|>}) becomes, per temporal patch k,
 * {@code <ts_k seconds><|vision_start|>} + {@code h*w/4} video pads + {@code <|vision_end|>}. Done on text, before
 * tokenizing, because the timestamp text merges with its neighbours in BPE; image pads are expanded on ids.
 */
public final class VideoPlaceholders {

	private static final String TRIPLE = QwenTokenizer.VISION_START + QwenTokenizer.VIDEO_PAD
			+ QwenTokenizer.VISION_END;

	private VideoPlaceholders() {
	}

	/** One video as the prompt sees it: its grid and one timestamp per temporal patch. */
	public record Video(GridThw grid, double[] timestampsSec) {

		public Video {
			if (timestampsSec.length != grid.t()) {
				throw new IllegalArgumentException("a video of " + grid.t() + " temporal patches needs as many "
						+ "timestamps, got " + timestampsSec.length);
			}
		}

	}

	/** {@code text} with every video placeholder replaced by its frame runs, videos taken in order. */
	public static String expand(String text, List<Video> videos, int mergeSize) {
		StringBuilder out = new StringBuilder(text.length());
		int at = 0;
		int next = 0;
		while (true) {
			int pad = text.indexOf(QwenTokenizer.VIDEO_PAD, at);
			if (pad < 0) {
				break;
			}
			if (next >= videos.size()) {
				throw new PromptException("the prompt has more " + QwenTokenizer.VIDEO_PAD + " placeholders than the "
						+ videos.size() + " video(s) of the conversation");
			}
			boolean triple = pad >= QwenTokenizer.VISION_START.length()
					&& text.startsWith(TRIPLE, pad - QwenTokenizer.VISION_START.length());
			int start = triple ? pad - QwenTokenizer.VISION_START.length() : pad;
			int end = triple ? start + TRIPLE.length() : pad + QwenTokenizer.VIDEO_PAD.length();
			out.append(text, at, start);
			Video video = videos.get(next++);
			int pads = video.grid().h() * video.grid().w() / (mergeSize * mergeSize);
			for (double seconds : video.timestampsSec()) {
				out.append(VideoTimestamps.text(seconds)).append(QwenTokenizer.VISION_START);
				out.append(QwenTokenizer.VIDEO_PAD.repeat(pads));
				out.append(QwenTokenizer.VISION_END);
			}
			at = end;
		}
		if (next != videos.size()) {
			throw new PromptException("the prompt has " + next + " " + QwenTokenizer.VIDEO_PAD
					+ " placeholder(s) but the conversation has " + videos.size() + " video(s)");
		}
		return out.append(text, at, text.length()).toString();
	}

}
