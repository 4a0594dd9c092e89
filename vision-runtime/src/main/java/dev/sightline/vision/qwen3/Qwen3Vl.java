package dev.sightline.vision.qwen3;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.prompt.ChatTemplate;
import dev.sightline.vision.prompt.PreparedPrompt;
import dev.sightline.vision.qwen.InProcessVl;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.QwenDecoding;
import dev.sightline.vision.qwen3.prompt.Qwen3PromptBuilder;
import dev.sightline.vision.batching.BatchDecoder;
import dev.sightline.vision.tokenizer.QwenTokenizer;

/**
 * Qwen3-VL (dense) in this JVM, as {@link dev.sightline.vision.qwen.QwenVl} is for Qwen2.5-VL: loads a checkpoint
 * directory, answers conversations (streaming), and as a {@link BatchDecoder} lets the model server run many
 * requests in one pass per token. The request flow is the shared {@link InProcessVl} (sampling, stop handling and
 * streaming the shared {@link QwenDecoding}); this class is the Qwen3-VL prompt, sequence and pass.
 * Grounding answers come on a relative 0–1000 grid of the original image (QWEN3_VL spec §10), not in pixels.
 */
public final class Qwen3Vl extends InProcessVl<Qwen3Sequence> {

	/** Longest prompt plus completion this runtime accepts (the published 256k window is far beyond CPU memory). */
	static final int MAX_CONTEXT_TOKENS = 32_768;

	/** Largest decode batch; each sequence holds its own KV cache. */
	static final int MAX_BATCH_SIZE = 32;

	/** The published preprocessor_config.json budget (spec §4.2): 256² .. 4096² pixels. */
	static final PixelBudget PUBLISHED_BUDGET = new PixelBudget(65_536, 16_777_216);

	/** The published video_preprocessor_config.json budget over all frames of a video (spec §5.2). */
	static final PixelBudget PUBLISHED_VIDEO_BUDGET = new PixelBudget(4_096, 25_165_824);

	private final Qwen3Model model;

	private Qwen3Vl(Qwen3Model model, QwenTokenizer tokenizer, Qwen3PromptBuilder prompts,
			ProcessorConfig processorConfig, Set<Integer> stopIds) {
		// Qwen3-VL's video times are timestamp tokens in the text: no seconds per grid step in its positions.
		super(model, tokenizer, processorConfig, stopIds, MAX_CONTEXT_TOKENS, MAX_BATCH_SIZE,
				model.config().vision().depth(), prompts, false);
		this.model = model;
	}

	public static Qwen3Vl load(Path directory, LoadOptions options) {
		ProcessorConfig processorConfig = processorConfig(directory);
		return withTokenizer(directory, tokenizer -> {
			Qwen3Model model = Qwen3Model.load(directory, options);
			Qwen3PromptBuilder prompts = new Qwen3PromptBuilder(tokenizer, ChatTemplate.fromCheckpoint(directory),
					new ImageProcessor(processorConfig, model.prefixCache().images()), videoBudget(directory),
					MAX_CONTEXT_TOKENS);
			return new Qwen3Vl(model, tokenizer, prompts, processorConfig, stopIds(model.generationConfig(), tokenizer));
		});
	}

	/** The checkpoint's image processor settings; without a file, the published Qwen3-VL ones (spec §4.2). */
	static ProcessorConfig processorConfig(Path directory) {
		Path file = directory.resolve("preprocessor_config.json");
		if (Files.exists(file)) {
			return ProcessorConfig.read(file);
		}
		float[] half = { 0.5f, 0.5f, 0.5f };
		return new ProcessorConfig(PUBLISHED_BUDGET, 16, 2, 2, half, half, 1.0 / 255);
	}

	/** The video pixel budget of {@code video_preprocessor_config.json}; the published one without the file. */
	static PixelBudget videoBudget(Path directory) {
		Path file = directory.resolve("video_preprocessor_config.json");
		return Files.exists(file) ? ProcessorConfig.read(file).budget() : PUBLISHED_VIDEO_BUDGET;
	}

	public Qwen3Model model() {
		return model;
	}

	/** Qwen3-VL's video times are timestamp tokens in the text, so its positions need no seconds per grid step. */
	static ModelInputs inputs(PreparedPrompt prompt) {
		return gather(prompt, false);
	}

}
