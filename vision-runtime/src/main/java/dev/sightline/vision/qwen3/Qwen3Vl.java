package dev.sightline.vision.qwen3;

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
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.qwen.QwenDecoding;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.qwen3.prompt.Qwen3PromptBuilder;
import dev.sightline.vision.server.BatchDecoder;
import dev.sightline.vision.tokenizer.QwenTokenizer;
import dev.sightline.vision.tokenizer.StreamingDecoder;
import dev.sightline.vision.video.ProcessedVideo;

/**
 * Qwen3-VL (dense) in this JVM, as {@link dev.sightline.vision.qwen.QwenVl} is for Qwen2.5-VL: loads a checkpoint
 * directory, answers conversations (streaming), and as a {@link BatchDecoder} lets the model server run many
 * requests in one pass per token. Sampling, stop handling and streaming are the shared {@link QwenDecoding}.
 * Grounding answers come on a relative 0–1000 grid of the original image (QWEN3_VL spec §10), not in pixels.
 */
public final class Qwen3Vl implements VisionLanguageModel, BatchDecoder {

	/** Longest prompt plus completion this runtime accepts (the published 256k window is far beyond CPU memory). */
	static final int MAX_CONTEXT_TOKENS = 32_768;

	/** Largest decode batch; each sequence holds its own KV cache. */
	static final int MAX_BATCH_SIZE = 32;

	/** The published preprocessor_config.json budget (spec §4.2): 256² .. 4096² pixels. */
	static final PixelBudget PUBLISHED_BUDGET = new PixelBudget(65_536, 16_777_216);

	/** The published video_preprocessor_config.json budget over all frames of a video (spec §5.2). */
	static final PixelBudget PUBLISHED_VIDEO_BUDGET = new PixelBudget(4_096, 25_165_824);

	private final Qwen3Model model;

	private final QwenTokenizer tokenizer;

	private final Qwen3PromptBuilder prompts;

	private final ProcessorConfig processorConfig;

	private final Set<Integer> stopIds;

	private int visionBlocksPerStep;

	private Qwen3Vl(Qwen3Model model, QwenTokenizer tokenizer, Qwen3PromptBuilder prompts,
			ProcessorConfig processorConfig, Set<Integer> stopIds) {
		this.model = model;
		this.tokenizer = tokenizer;
		this.prompts = prompts;
		this.processorConfig = processorConfig;
		this.stopIds = stopIds;
		this.visionBlocksPerStep = Math.max(1, model.config().vision().depth() / QwenDecoding.VISION_STEPS);
	}

	/** Vision blocks a pending image or video request runs per step beside running decodes (at least 1). */
	public synchronized void setVisionBlocksPerStep(int blocks) {
		if (blocks < 1) {
			throw new IllegalArgumentException("vision blocks per step must be at least 1, got " + blocks);
		}
		visionBlocksPerStep = blocks;
	}

	public static Qwen3Vl load(Path directory, LoadOptions options) {
		ProcessorConfig processorConfig = processorConfig(directory);
		QwenTokenizer tokenizer = QwenTokenizer.load(directory.resolve("tokenizer.json"));
		try {
			Qwen3Model model = Qwen3Model.load(directory, options);
			Set<Integer> stopIds = new LinkedHashSet<>(model.generationConfig().eosTokenIds());
			if (stopIds.isEmpty()) {
				stopIds.add((int) tokenizer.tokenId(QwenTokenizer.IM_END));
			}
			Qwen3PromptBuilder prompts = new Qwen3PromptBuilder(tokenizer, ChatTemplate.fromCheckpoint(directory),
					new ImageProcessor(processorConfig), videoBudget(directory), MAX_CONTEXT_TOKENS);
			return new Qwen3Vl(model, tokenizer, prompts, processorConfig, Set.copyOf(stopIds));
		}
		catch (RuntimeException e) {
			tokenizer.close();
			throw e;
		}
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

	@Override
	public synchronized Generation generate(Conversation conversation, GenerationOptions options,
			TokenListener listener) {
		try (QwenDecoding<Qwen3Sequence> decoding = begin(conversation, options)) {
			List<QwenDecoding<Qwen3Sequence>> alone = List.of(decoding);
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

	@Override
	public synchronized DecodingSequence start(Conversation conversation, GenerationOptions options) {
		return begin(conversation, options);
	}

	/** The model inputs of a conversation, as {@link #generate} builds them. */
	PreparedPrompt prepare(Conversation conversation) {
		return prompts.prepare(conversation, true);
	}

	private QwenDecoding<Qwen3Sequence> begin(Conversation conversation, GenerationOptions options) {
		PreparedPrompt prompt = prompts.prepare(conversation, true);
		ModelInputs inputs = inputs(prompt);
		long[] ids = inputs.inputIds();
		int maxNewTokens = Math.min(options.maxNewTokens(), Math.max(1, MAX_CONTEXT_TOKENS - ids.length));
		Qwen3Sequence sequence = model.newSequence(ids.length + maxNewTokens);
		try {
			// The vision encode runs in later steps, beside the running decodes (advance).
			sequence.begin(inputs);
			List<ImageSize> sizes = prompt.images().stream().map(ProcessedImage::resized).toList();
			return new QwenDecoding<>(sequence, ids, new Sampler(SamplingSettings.from(options)), stopIds,
					maxNewTokens, options.stop(), new StreamingDecoder(tokenizer, true), sizes);
		}
		catch (RuntimeException e) {
			sequence.close();
			throw e;
		}
	}

	@Override
	public synchronized void step(List<DecodingSequence> batch, int promptTokenBudget) {
		List<QwenDecoding<Qwen3Sequence>> running = new ArrayList<>(batch.size());
		for (DecodingSequence member : batch) {
			if (!(member instanceof QwenDecoding<?> decoding) || !(decoding.sequence() instanceof Qwen3Sequence sequence)
					|| sequence.model() != model) {
				throw new IllegalArgumentException("step takes only sequences this model started");
			}
			if (!decoding.finished()) {
				@SuppressWarnings("unchecked")
				QwenDecoding<Qwen3Sequence> ours = (QwenDecoding<Qwen3Sequence>) decoding;
				running.add(ours);
			}
		}
		if (!running.isEmpty()) {
			advance(running, promptTokenBudget);
		}
	}

	@Override
	public int maxBatchSize() {
		return MAX_BATCH_SIZE;
	}

	private void advance(List<QwenDecoding<Qwen3Sequence>> running, int promptTokenBudget) {
		List<QwenDecoding<Qwen3Sequence>> feeding = QwenDecoding.advancePendingVision(running, visionBlocksPerStep);
		long[] tokens = new long[feeding.size()];
		List<Qwen3Sequence> sequences = new ArrayList<>(feeding.size());
		for (int b = 0; b < tokens.length; b++) {
			tokens[b] = feeding.get(b).lastToken();
			sequences.add(feeding.get(b).sequence());
		}
		float[][] logits = Qwen3Sequence.pass(sequences, tokens, promptTokenBudget);
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
		for (ProcessedVideo video : prompt.videos()) {
			videoGrids.add(video.grid());
			videoPixels.add(video.pixelValues());
		}
		return new ModelInputs(prompt.inputIds(), concat(imagePixels), imageGrids, concat(videoPixels), videoGrids,
				null);
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
