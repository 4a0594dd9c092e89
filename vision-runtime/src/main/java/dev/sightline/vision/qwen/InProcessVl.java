package dev.sightline.vision.qwen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.constrain.TokenTexts;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.ImageResize;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessedImage;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.prefix.PrefixCacheStats;
import dev.sightline.vision.prompt.ConversationPrompts;
import dev.sightline.vision.prompt.PreparedPrompt;
import dev.sightline.vision.qwen.config.GenerationConfig;
import dev.sightline.vision.qwen.generate.Sampler;
import dev.sightline.vision.qwen.generate.SamplingSettings;
import dev.sightline.vision.batching.BatchDecoder;
import dev.sightline.vision.tokenizer.QwenTokenizer;
import dev.sightline.vision.tokenizer.StreamingDecoder;
import dev.sightline.vision.video.ProcessedVideo;
import dev.sightline.vision.weights.RuntimeInfo;

/**
 * The request flow every in-process Qwen family shares: prepare a conversation, open a sequence, spread a pending
 * vision encode over steps beside running decodes, run one batched decoder pass per step and hand each request its
 * logits ({@link QwenDecoding} samples and streams). A family ({@link QwenVl}, {@code Qwen3Vl}) supplies only what
 * differs: its prompt builder, its sequence (KV cache and positions) and its decoder pass. Calls are serialised on
 * the model.
 *
 * @param <S> the family's sequence
 */
public abstract class InProcessVl<S extends PromptSequence<?, ?>> implements VisionLanguageModel, BatchDecoder {

	private final LoadedModel model;

	private final QwenTokenizer tokenizer;

	private final ProcessorConfig processorConfig;

	private final Set<Integer> stopIds;

	private final int maxContextTokens;

	private final int maxBatchSize;

	private final ConversationPrompts prompts;

	private final boolean videoSecondsPerGrid;

	private int visionBlocksPerStep;

	// Every token's text, decoded on the first constrained request (one native call; ~0.1 s for 151k tokens).
	private TokenTexts vocabulary;

	/**
	 * @param model the family's loaded model, closed with this
	 * @param visionDepth blocks of the family's vision tower; a pending encode runs
	 *        {@code depth / QwenDecoding.VISION_STEPS} of them per step by default
	 * @param prompts the family's conversation-to-inputs builder
	 * @param videoSecondsPerGrid whether the family's M-RoPE spaces video time ids by each video's seconds per
	 *        temporal grid step (Qwen2.5-VL) rather than by timestamp text (Qwen3-VL)
	 */
	protected InProcessVl(LoadedModel model, QwenTokenizer tokenizer, ProcessorConfig processorConfig,
			Set<Integer> stopIds, int maxContextTokens, int maxBatchSize, int visionDepth, ConversationPrompts prompts,
			boolean videoSecondsPerGrid) {
		this.prompts = prompts;
		this.videoSecondsPerGrid = videoSecondsPerGrid;
		this.model = model;
		this.tokenizer = tokenizer;
		this.processorConfig = processorConfig;
		this.stopIds = stopIds;
		this.maxContextTokens = maxContextTokens;
		this.maxBatchSize = maxBatchSize;
		this.visionBlocksPerStep = Math.max(1, visionDepth / QwenDecoding.VISION_STEPS);
	}

	/**
	 * Loads the checkpoint's tokenizer and builds the family's model over it; the tokenizer is closed if that fails.
	 */
	protected static <V extends InProcessVl<?>> V withTokenizer(Path directory, Function<QwenTokenizer, V> build) {
		QwenTokenizer tokenizer = QwenTokenizer.load(directory.resolve("tokenizer.json"));
		try {
			return build.apply(tokenizer);
		}
		catch (RuntimeException e) {
			tokenizer.close();
			throw e;
		}
	}

	/** The checkpoint's stop ids; {@code <|im_end|>} when its generation config names none. */
	protected static Set<Integer> stopIds(GenerationConfig generationConfig, QwenTokenizer tokenizer) {
		Set<Integer> stopIds = new LinkedHashSet<>(generationConfig.eosTokenIds());
		if (stopIds.isEmpty()) {
			stopIds.add((int) tokenizer.tokenId(QwenTokenizer.IM_END));
		}
		return Set.copyOf(stopIds);
	}

	/**
	 * What every id below {@code size} writes (its raw bytes), for grammar masks; built once. Called under this
	 * model's lock.
	 */
	private TokenTexts vocabulary(int size) {
		if (vocabulary == null || vocabulary.size() != size) {
			vocabulary = TokenTexts.fromBytes(tokenizer.tokenBytes(size));
		}
		return vocabulary;
	}

	/** The model inputs (template, tokens, preprocessed images and videos) of a conversation, as generate builds them. */
	public PreparedPrompt prepare(Conversation conversation) {
		return prompts.prepare(conversation, true);
	}

	/** The tensors-to-be of a prepared prompt, as the family's sequence takes them. */
	protected ModelInputs modelInputs(PreparedPrompt prompt) {
		return gather(prompt, videoSecondsPerGrid);
	}

	/** A new sequence of this model holding up to {@code capacity} tokens. */
	@SuppressWarnings("unchecked") // the family's model opens the family's sequences
	protected S newSequence(int capacity) {
		return (S) model.newSequence(capacity);
	}

	/** Vision blocks a pending image or video request runs per step beside running decodes (at least 1). */
	public synchronized void setVisionBlocksPerStep(int blocks) {
		if (blocks < 1) {
			throw new IllegalArgumentException("vision blocks per step must be at least 1, got " + blocks);
		}
		visionBlocksPerStep = blocks;
	}

	@Override
	public synchronized Generation generate(Conversation conversation, GenerationOptions options,
			TokenListener listener) {
		try (QwenDecoding<S> decoding = begin(conversation, options)) {
			List<QwenDecoding<S>> alone = List.of(decoding);
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

	/**
	 * Prepares one request: template, tokens, preprocessed images; its vision encode and prompt run in later
	 * {@link #step} passes.
	 */
	@Override
	public synchronized DecodingSequence start(Conversation conversation, GenerationOptions options) {
		return begin(conversation, options);
	}

	/**
	 * Prepares the choices of one request ({@code n}): the first runs the prompt, the others wait for it and then
	 * take a copy of its keys and values, so the prompt is prefilled once (see {@link QwenDecoding#follow}).
	 */
	@Override
	public synchronized List<DecodingSequence> startChoices(Conversation conversation,
			List<GenerationOptions> options) {
		PreparedPrompt prompt = prepare(conversation);
		ModelInputs inputs = modelInputs(prompt);
		List<DecodingSequence> choices = new ArrayList<>();
		try {
			QwenDecoding<S> leader = decoding(prompt, inputs, options.getFirst(), true);
			choices.add(leader);
			for (GenerationOptions choice : options.subList(1, options.size())) {
				QwenDecoding<S> follower = decoding(prompt, inputs, choice, false);
				choices.add(follower);
				follower.follow(leader);
			}
		}
		catch (RuntimeException e) {
			choices.forEach(DecodingSequence::close);
			throw e;
		}
		return choices;
	}

	private QwenDecoding<S> begin(Conversation conversation, GenerationOptions options) {
		PreparedPrompt prompt = prepare(conversation);
		return decoding(prompt, modelInputs(prompt), options, true);
	}

	/** @param runPrompt false for a choice that will take another's prompt ({@link QwenDecoding#follow}) */
	private QwenDecoding<S> decoding(PreparedPrompt prompt, ModelInputs inputs, GenerationOptions options,
			boolean runPrompt) {
		long[] ids = inputs.inputIds();
		int maxNewTokens = Math.min(options.maxNewTokens(), Math.max(1, maxContextTokens - ids.length));
		S sequence = newSequence(ids.length + maxNewTokens);
		try {
			if (runPrompt) {
				// The vision encode runs in later steps, beside the running decodes (advance).
				PrefixCache prefixes = model.prefixCache();
				sequence.begin(inputs, true,
						prefixes.enabled() ? prompt.images().stream().map(prefixes::digest).toList() : null);
			}
			List<ImageSize> sizes = prompt.images().stream().map(ProcessedImage::resized).toList();
			return new QwenDecoding<>(sequence, ids, new Sampler(SamplingSettings.from(options)), stopIds, maxNewTokens,
					options.stop(), new StreamingDecoder(tokenizer, true), sizes, options.controls(), this::vocabulary,
					id -> tokenizer.decode(new long[] { id }));
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
		List<QwenDecoding<S>> running = new ArrayList<>(batch.size());
		for (DecodingSequence member : batch) {
			if (!(member instanceof QwenDecoding<?> decoding)
					|| !(decoding.sequence() instanceof PromptSequence<?, ?> sequence) || !sequence.belongsTo(model)) {
				throw new IllegalArgumentException("step takes only sequences this model started");
			}
			if (!decoding.finished()) {
				// A sequence this model opened is its family's S.
				@SuppressWarnings("unchecked")
				QwenDecoding<S> ours = (QwenDecoding<S>) decoding;
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
		return maxBatchSize;
	}

	private void advance(List<QwenDecoding<S>> running, int promptTokenBudget) {
		// A choice waiting for another's prompt has nothing to feed; it starts when that prompt is in.
		List<QwenDecoding<S>> ready = running.stream().filter(d -> !d.awaitingPrompt()).toList();
		if (ready.isEmpty()) {
			return;
		}
		List<QwenDecoding<S>> feeding = QwenDecoding.advancePendingVision(ready, visionBlocksPerStep);
		long[] tokens = new long[feeding.size()];
		List<S> sequences = new ArrayList<>(feeding.size());
		for (int b = 0; b < tokens.length; b++) {
			tokens[b] = feeding.get(b).lastToken();
			sequences.add(feeding.get(b).sequence());
		}
		boolean[] argmaxOnDevice = new boolean[tokens.length];
		for (int b = 0; b < tokens.length; b++) {
			argmaxOnDevice[b] = feeding.get(b).picksArgmax();
		}
		PromptSequence.PassResult result = PromptSequence.passPicking(sequences, tokens, promptTokenBudget,
				argmaxOnDevice);
		for (int b = 0; b < tokens.length; b++) {
			if (result.picked()[b] >= 0) {
				feeding.get(b).acceptPicked(result.picked()[b]);
			}
			else if (result.logits()[b] != null) {
				feeding.get(b).accept(result.logits()[b]);
			}
		}
	}

	/**
	 * The prefix cache's budget ({@code --prefix-cache-mb}, {@code sightline.model.prefix-cache-mb}): requests
	 * that start like an earlier one reuse its keys and values up to a block boundary. 0 turns it off and frees it.
	 */
	public void setPrefixCacheBytes(long bytes) {
		model.prefixCache().setBudgetBytes(bytes);
	}

	/** Lookups, hit tokens, evictions and memory of the prefix cache. */
	public PrefixCacheStats prefixCacheStats() {
		return model.prefixCache().stats();
	}

	@Override
	public PixelBudget pixelBudget() {
		return processorConfig.budget();
	}

	/** The checkpoint's own factor (patch x merge: 28 for Qwen2.5-VL, 32 for Qwen3-VL). */
	@Override
	public ImageResize imageResize() {
		return new ImageResize(processorConfig.budget(), processorConfig.factor());
	}

	/** The checkpoint directory's name. */
	@Override
	public String name() {
		return model.directory().getFileName().toString();
	}

	@Override
	public Optional<RuntimeInfo> runtime() {
		return Optional.of(model.runtime());
	}

	@Override
	public void close() {
		model.close();
		tokenizer.close();
	}

	/**
	 * The images' and videos' grids and concatenated pixels of a prepared prompt.
	 * @param videoSecondsPerGrid whether the family's positions need each video's seconds per temporal grid step
	 *        (Qwen2.5-VL's MRoPE does; Qwen3-VL's timestamps are in the text, so it gets null)
	 */
	protected static ModelInputs gather(PreparedPrompt prompt, boolean videoSecondsPerGrid) {
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
				videoSecondsPerGrid ? secondPerGrid : null);
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
