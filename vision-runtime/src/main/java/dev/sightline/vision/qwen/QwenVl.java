package dev.sightline.vision.qwen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.prompt.ChatTemplate;
import dev.sightline.vision.prompt.PreparedPrompt;
import dev.sightline.vision.prompt.PromptBuilder;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.server.BatchDecoder;
import dev.sightline.vision.tokenizer.QwenTokenizer;
import dev.sightline.vision.tokenizer.StreamingDecoder;
import dev.sightline.vision.video.ProcessedVideo;

/**
 * Qwen2.5-VL in this JVM: the in-process backend the agent calls. Loads a Hugging Face checkpoint directory
 * (config, weights, tokenizer, chat template, preprocessor and generation configs) and answers conversations with
 * greedy or sampled decoding, streaming text as it is produced. As a {@link BatchDecoder} it lets the model server
 * run many requests in one pass per token, new prompts fed in chunks alongside them; calls are serialised on the
 * model.
 */
public final class QwenVl implements VisionLanguageModel, BatchDecoder {

	/** Longest prompt plus completion: the published configs target 32k-token contexts (spec §2.1). */
	static final int MAX_CONTEXT_TOKENS = 32_768;

	/** Largest decode batch; 32 caches of 3B at a 4k-token context take about 10 GB. */
	static final int MAX_BATCH_SIZE = 32;

	private final QwenModel model;

	private final QwenTokenizer tokenizer;

	private final PromptBuilder prompts;

	private final ProcessorConfig processorConfig;

	private final Set<Integer> stopIds;

	/** Steps a pending image request's vision encode is spread over while others are decoding. */
	static final int VISION_STEPS = QwenDecoding.VISION_STEPS;

	private int visionBlocksPerStep;

	private QwenVl(QwenModel model, QwenTokenizer tokenizer, PromptBuilder prompts, ProcessorConfig processorConfig,
			Set<Integer> stopIds) {
		this.model = model;
		this.tokenizer = tokenizer;
		this.prompts = prompts;
		this.processorConfig = processorConfig;
		this.stopIds = stopIds;
		this.visionBlocksPerStep = Math.max(1, model.config().vision().depth() / VISION_STEPS);
	}

	public static QwenVl load(Path directory, LoadOptions options) {
		Path preprocessor = directory.resolve("preprocessor_config.json");
		ProcessorConfig processorConfig = Files.exists(preprocessor) ? ProcessorConfig.read(preprocessor)
				: ProcessorConfig.PUBLISHED;
		QwenTokenizer tokenizer = QwenTokenizer.load(directory.resolve("tokenizer.json"));
		try {
			QwenModel model = QwenModel.load(directory, options);
			Set<Integer> stopIds = new LinkedHashSet<>(model.generationConfig().eosTokenIds());
			if (stopIds.isEmpty()) {
				stopIds.add((int) tokenizer.tokenId(QwenTokenizer.IM_END));
			}
			PromptBuilder prompts = new PromptBuilder(tokenizer, ChatTemplate.fromCheckpoint(directory),
					new ImageProcessor(processorConfig), MAX_CONTEXT_TOKENS);
			return new QwenVl(model, tokenizer, prompts, processorConfig, Set.copyOf(stopIds));
		}
		catch (RuntimeException e) {
			tokenizer.close();
			throw e;
		}
	}

	public QwenModel model() {
		return model;
	}

	@Override
	public synchronized Generation generate(Conversation conversation, GenerationOptions options,
			TokenListener listener) {
		try (QwenDecoding<QwenSequence> decoding = begin(conversation, options)) {
			List<QwenDecoding<QwenSequence>> alone = List.of(decoding);
			// Alone, the whole prompt goes through in one pass: chunking only pays when others are decoding.
			advance(alone, Integer.MAX_VALUE);
			while (true) {
				String piece = decoding.takeText();
				if (!piece.isEmpty() && !listener.onText(piece)) {
					decoding.cancel();
				}
				if (decoding.finished()) {
					break;
				}
				advance(alone, Integer.MAX_VALUE);
			}
			String rest = decoding.takeText();
			if (!rest.isEmpty()) {
				listener.onText(rest);
			}
			return decoding.generation();
		}
	}

	/** Vision blocks a pending image request runs per step beside running decodes (at least 1). */
	public synchronized void setVisionBlocksPerStep(int blocks) {
		if (blocks < 1) {
			throw new IllegalArgumentException("vision blocks per step must be at least 1, got " + blocks);
		}
		visionBlocksPerStep = blocks;
	}

	/**
	 * Prepares one request: template, tokens, preprocessed images; its vision encode and prompt run in later
	 * {@link #step} passes.
	 */
	@Override
	public synchronized DecodingSequence start(Conversation conversation, GenerationOptions options) {
		return begin(conversation, options);
	}

	private QwenDecoding<QwenSequence> begin(Conversation conversation, GenerationOptions options) {
		PreparedPrompt prompt = prompts.prepare(conversation, true);
		ModelInputs inputs = inputs(prompt);
		long[] ids = inputs.inputIds();
		int maxNewTokens = Math.min(options.maxNewTokens(), Math.max(1, MAX_CONTEXT_TOKENS - ids.length));
		QwenSequence sequence = model.newSequence(ids.length + maxNewTokens);
		try {
			// The vision encode runs in later steps, beside the running decodes (advance).
			sequence.begin(inputs);
			List<ImageSize> sizes = prompt.images().stream().map(ProcessedImage::resized).toList();
			return new QwenDecoding<>(sequence, ids, new Sampler(SamplingSettings.from(options)), stopIds, maxNewTokens,
					options.stop(), new StreamingDecoder(tokenizer, true), sizes);
		}
		catch (RuntimeException e) {
			sequence.close();
			throw e;
		}
	}

	/**
	 * One decoder pass over every unfinished sequence of {@code batch}: those still prefilling take the next chunk
	 * of their prompt (at most {@code promptTokenBudget} prompt tokens in all), the others one token each.
	 */
	@Override
	public synchronized void step(List<DecodingSequence> batch, int promptTokenBudget) {
		List<QwenDecoding<QwenSequence>> running = new ArrayList<>(batch.size());
		for (DecodingSequence member : batch) {
			if (!(member instanceof QwenDecoding<?> decoding) || !(decoding.sequence() instanceof QwenSequence sequence)
					|| sequence.model() != model) {
				throw new IllegalArgumentException("step takes only sequences this model started");
			}
			if (!decoding.finished()) {
				@SuppressWarnings("unchecked")
				QwenDecoding<QwenSequence> ours = (QwenDecoding<QwenSequence>) decoding;
				running.add(ours);
			}
		}
		if (!running.isEmpty()) {
			advance(running, promptTokenBudget);
		}
	}

	/**
	 * Sequences one step may take. Each holds its own KV cache (prompt plus completion), so memory, not compute,
	 * is the limit; the server's {@code --max-batch} lowers it further.
	 */
	@Override
	public int maxBatchSize() {
		return MAX_BATCH_SIZE;
	}

	private void advance(List<QwenDecoding<QwenSequence>> running, int promptTokenBudget) {
		List<QwenDecoding<QwenSequence>> feeding = QwenDecoding.advancePendingVision(running, visionBlocksPerStep);
		long[] tokens = new long[feeding.size()];
		List<QwenSequence> sequences = new ArrayList<>(feeding.size());
		for (int b = 0; b < tokens.length; b++) {
			tokens[b] = feeding.get(b).lastToken();
			sequences.add(feeding.get(b).sequence());
		}
		float[][] logits = QwenSequence.pass(sequences, tokens, promptTokenBudget);
		for (int b = 0; b < tokens.length; b++) {
			if (logits[b] != null) {
				feeding.get(b).accept(logits[b]);
			}
		}
	}

	@Override
	public PixelBudget pixelBudget() {
		return processorConfig.budget();
	}

	@Override
	public String name() {
		return model.directory().getFileName().toString();
	}

	@Override
	public java.util.Optional<dev.sightline.vision.weights.RuntimeInfo> runtime() {
		return java.util.Optional.of(model.runtime());
	}

	@Override
	public void close() {
		model.close();
		tokenizer.close();
	}

	static ModelInputs inputs(PreparedPrompt prompt) {
		List<GridThw> imageGrids = new ArrayList<>();
		List<float[]> imagePixels = new ArrayList<>();
		for (ProcessedImage image : prompt.images()) {
			imageGrids.add(image.grid());
			imagePixels.add(image.pixelValues());
		}
		List<GridThw> videoGrids = new ArrayList<>();
		List<float[]> videoPixels = new ArrayList<>();
		float[] secondPerGrid = new float[prompt.videos().size()];
		for (int i = 0; i < prompt.videos().size(); i++) {
			ProcessedVideo video = prompt.videos().get(i);
			videoGrids.add(video.grid());
			videoPixels.add(video.pixelValues());
			secondPerGrid[i] = video.secondPerGridT();
		}
		return new ModelInputs(prompt.inputIds(), concat(imagePixels), imageGrids, concat(videoPixels), videoGrids,
				secondPerGrid);
	}

	private static float[] concat(List<float[]> parts) {
		float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
		int at = 0;
		for (float[] part : parts) {
			System.arraycopy(part, 0, out, at, part.length);
			at += part.length;
		}
		return out;
	}

}
