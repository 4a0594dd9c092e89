package dev.sightline.vision.qwen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.prompt.ChatTemplate;
import dev.sightline.vision.prompt.PreparedPrompt;
import dev.sightline.vision.prompt.PromptBuilder;
import dev.sightline.vision.batching.BatchDecoder;
import dev.sightline.vision.tokenizer.QwenTokenizer;

/**
 * Qwen2.5-VL in this JVM: the in-process backend the agent calls. Loads a Hugging Face checkpoint directory
 * (config, weights, tokenizer, chat template, preprocessor and generation configs) and answers conversations with
 * greedy or sampled decoding, streaming text as it is produced. As a {@link BatchDecoder} it lets the model server
 * run many requests in one pass per token, new prompts fed in chunks alongside them; the request flow is the shared
 * {@link InProcessVl}, this class the Qwen2.5-VL prompt, sequence and pass.
 */
public final class QwenVl extends InProcessVl<QwenSequence> {

	/** Longest prompt plus completion: the published configs target 32k-token contexts (spec §2.1). */
	static final int MAX_CONTEXT_TOKENS = 32_768;

	/** Largest decode batch; 32 caches of 3B at a 4k-token context take about 10 GB. */
	static final int MAX_BATCH_SIZE = 32;

	/** Steps a pending image request's vision encode is spread over while others are decoding. */
	static final int VISION_STEPS = QwenDecoding.VISION_STEPS;

	private final QwenModel model;

	private QwenVl(QwenModel model, QwenTokenizer tokenizer, PromptBuilder prompts, ProcessorConfig processorConfig,
			Set<Integer> stopIds) {
		// Qwen2.5-VL's M-RoPE spaces video time ids by each video's seconds per temporal grid step.
		super(model, tokenizer, processorConfig, stopIds, MAX_CONTEXT_TOKENS, MAX_BATCH_SIZE,
				model.config().vision().depth(), prompts, true);
		this.model = model;
	}

	public static QwenVl load(Path directory, LoadOptions options) {
		Path preprocessor = directory.resolve("preprocessor_config.json");
		ProcessorConfig processorConfig = Files.exists(preprocessor) ? ProcessorConfig.read(preprocessor)
				: ProcessorConfig.PUBLISHED;
		return withTokenizer(directory, tokenizer -> {
			QwenModel model = QwenModel.load(directory, options);
			PromptBuilder prompts = new PromptBuilder(tokenizer, ChatTemplate.fromCheckpoint(directory),
					new ImageProcessor(processorConfig, model.prefixCache().images()), MAX_CONTEXT_TOKENS);
			return new QwenVl(model, tokenizer, prompts, processorConfig, stopIds(model.generationConfig(), tokenizer));
		});
	}

	public QwenModel model() {
		return model;
	}

	/** Qwen2.5-VL's M-RoPE spaces video time ids by each video's seconds per temporal grid step. */
	static ModelInputs inputs(PreparedPrompt prompt) {
		return gather(prompt, true);
	}

}
