package dev.sightline.vision.qwen3.prompt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.prompt.ChatTemplate;
import dev.sightline.vision.prompt.ConversationPrompts;
import dev.sightline.vision.prompt.PromptBuilder;
import dev.sightline.vision.prompt.PreparedPrompt;
import dev.sightline.vision.prompt.PromptException;
import dev.sightline.vision.prompt.PromptTooLongException;
import dev.sightline.vision.tokenizer.QwenTokenizer;
import dev.sightline.vision.video.ProcessedVideo;

/**
 * Conversation to Qwen3-VL model inputs (QWEN3_VL spec §9, §5.4): render the checkpoint's chat template (no default
 * system turn), process every image and video, expand each video into timestamped frame runs on the text, tokenize,
 * then expand each {@code <|image_pad|>} into {@code h*w/4} copies on the ids.
 */
public final class Qwen3PromptBuilder implements ConversationPrompts {

	private final QwenTokenizer tokenizer;

	private final ChatTemplate template;

	private final ImageProcessor images;

	private final Qwen3VideoProcessor videos;

	private final PixelBudget videoBudget;

	private final int maxContextTokens;

	private final long imagePadId;

	/**
	 * @param videoBudget pixels over all frames of a video ({@code video_preprocessor_config.json}; spec §5.2)
	 */
	public Qwen3PromptBuilder(QwenTokenizer tokenizer, ChatTemplate template, ImageProcessor images,
			PixelBudget videoBudget, int maxContextTokens) {
		if (maxContextTokens < 1) {
			throw new IllegalArgumentException("maxContextTokens must be at least 1, got " + maxContextTokens);
		}
		this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
		this.template = Objects.requireNonNull(template, "template");
		this.images = Objects.requireNonNull(images, "images");
		this.videos = new Qwen3VideoProcessor(images);
		this.videoBudget = Objects.requireNonNull(videoBudget, "videoBudget");
		this.maxContextTokens = maxContextTokens;
		this.imagePadId = tokenizer.tokenId(QwenTokenizer.IMAGE_PAD);
	}

	@Override
	public PreparedPrompt prepare(Conversation conversation, boolean addGenerationPrompt) {
		List<ImagePart> imageParts = conversation.images();
		List<VideoPart> videoParts = conversation.videos();
		String text = template.render(conversation, addGenerationPrompt);
		List<ProcessedImage> processedImages = PromptBuilder.processImages(images, imageParts);
		List<ProcessedVideo> processedVideos = new ArrayList<>();
		List<VideoPlaceholders.Video> runs = new ArrayList<>();
		for (VideoPart part : videoParts) {
			Qwen3VideoProcessor.Result result = videos.process(part.frames(), videoBudget);
			processedVideos.add(result.video());
			runs.add(new VideoPlaceholders.Video(result.video().grid(), result.timestampsSec()));
		}
		int merge = images.config().mergeSize();
		long[] ids = tokenizer.encode(VideoPlaceholders.expand(text, runs, merge));
		int placeholders = (int) Arrays.stream(ids).filter(id -> id == imagePadId).count();
		if (placeholders != processedImages.size()) {
			throw new PromptException("the prompt has " + placeholders + " " + QwenTokenizer.IMAGE_PAD
					+ " placeholder(s) but the conversation has " + processedImages.size()
					+ " image(s); each image needs exactly one placeholder");
		}
		long total = ids.length;
		for (ProcessedImage image : processedImages) {
			total += image.grid().tokens(merge) - 1;
		}
		if (total > maxContextTokens) {
			throw new PromptTooLongException((int) Math.min(Integer.MAX_VALUE, total), maxContextTokens);
		}
		long[] expanded = new long[(int) total];
		int at = 0;
		int image = 0;
		for (long id : ids) {
			int copies = id == imagePadId ? processedImages.get(image++).grid().tokens(merge) : 1;
			Arrays.fill(expanded, at, at + copies, id);
			at += copies;
		}
		return new PreparedPrompt(expanded, processedImages, processedVideos);
	}

}
