package dev.sightline.vision.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.tokenizer.QwenTokenizer;
import dev.sightline.vision.video.ProcessedVideo;
import dev.sightline.vision.video.VideoProcessor;

/**
 * Conversation to model inputs (spec §4.5, §8): render the chat template, tokenize, process every image and video,
 * and expand each {@code <|image_pad|>} / {@code <|video_pad|>} into {@code t*h*w / merge^2} copies. The expansion
 * happens on ids (the pads are atomic special tokens), which gives the same ids as expanding the text first.
 */
public final class PromptBuilder implements ConversationPrompts {

	private final QwenTokenizer tokenizer;

	private final ChatTemplate template;

	private final ImageProcessor images;

	private final VideoProcessor videos;

	private final int maxContextTokens;

	private final long imagePadId;

	private final long videoPadId;

	/** @param maxContextTokens the longest prompt the model accepts, in tokens */
	public PromptBuilder(QwenTokenizer tokenizer, ChatTemplate template, ImageProcessor images, int maxContextTokens) {
		if (maxContextTokens < 1) {
			throw new IllegalArgumentException("maxContextTokens must be at least 1, got " + maxContextTokens);
		}
		this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
		this.template = Objects.requireNonNull(template, "template");
		this.images = Objects.requireNonNull(images, "images");
		this.videos = new VideoProcessor(images);
		this.maxContextTokens = maxContextTokens;
		this.imagePadId = tokenizer.tokenId(QwenTokenizer.IMAGE_PAD);
		this.videoPadId = tokenizer.tokenId(QwenTokenizer.VIDEO_PAD);
	}

	/** The rendered prompt text, with one pad token per image and video. */
	public String render(Conversation conversation, boolean addGenerationPrompt) {
		return template.render(conversation, addGenerationPrompt);
	}

	/** Each image at its own pixel budget, or the processor's when it names none; in order. */
	public static List<ProcessedImage> processImages(ImageProcessor images, List<ImagePart> parts) {
		List<ProcessedImage> processed = new ArrayList<>();
		for (ImagePart part : parts) {
			PixelBudget budget = part.budget().orElse(images.config().budget());
			// Pixels the caller already holds skip the encode-decode round trip; patches are the same either way.
			processed.add(part.pixels().isPresent() ? images.process(part.pixels().get(), budget)
					: images.process(part.encoded(), budget));
		}
		return processed;
	}

	@Override
	public PreparedPrompt prepare(Conversation conversation, boolean addGenerationPrompt) {
		List<ImagePart> imageParts = conversation.images();
		List<VideoPart> videoParts = conversation.videos();
		long[] ids = tokenizer.encode(render(conversation, addGenerationPrompt));
		requireSameCount(count(ids, imagePadId), imageParts.size(), "image", QwenTokenizer.IMAGE_PAD);
		requireSameCount(count(ids, videoPadId), videoParts.size(), "video", QwenTokenizer.VIDEO_PAD);
		int merge = images.config().mergeSize();
		// Cheap bound first: the text alone may already exceed the context before any image is decoded.
		if (ids.length > maxContextTokens) {
			throw new PromptTooLongException(ids.length, maxContextTokens);
		}
		List<ProcessedImage> processedImages = processImages(images, imageParts);
		List<ProcessedVideo> processedVideos = new ArrayList<>();
		for (VideoPart part : videoParts) {
			processedVideos.add(videos.process(part.frames(), images.config().budget()));
		}
		long total = ids.length;
		for (ProcessedImage image : processedImages) {
			total += image.grid().tokens(merge) - 1;
		}
		for (ProcessedVideo video : processedVideos) {
			total += video.grid().tokens(merge) - 1;
		}
		if (total > maxContextTokens) {
			throw new PromptTooLongException((int) Math.min(Integer.MAX_VALUE, total), maxContextTokens);
		}
		long[] expanded = new long[(int) total];
		int at = 0;
		int image = 0;
		int video = 0;
		for (long id : ids) {
			int copies = 1;
			if (id == imagePadId) {
				copies = processedImages.get(image++).grid().tokens(merge);
			}
			else if (id == videoPadId) {
				copies = processedVideos.get(video++).grid().tokens(merge);
			}
			java.util.Arrays.fill(expanded, at, at + copies, id);
			at += copies;
		}
		return new PreparedPrompt(expanded, processedImages, processedVideos);
	}

	private static int count(long[] ids, long token) {
		int n = 0;
		for (long id : ids) {
			n += id == token ? 1 : 0;
		}
		return n;
	}

	private static void requireSameCount(int placeholders, int media, String kind, String token) {
		if (placeholders != media) {
			throw new PromptException("the prompt has " + placeholders + " " + token + " placeholder"
					+ (placeholders == 1 ? "" : "s") + " but the conversation has " + media + " " + kind
					+ (media == 1 ? "" : "s") + "; each " + kind + " needs exactly one placeholder");
		}
	}

}
