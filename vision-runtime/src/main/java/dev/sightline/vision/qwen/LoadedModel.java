package dev.sightline.vision.qwen;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.qwen.config.DecoderConfig;
import dev.sightline.vision.qwen.config.SpecialTokenIds;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.text.TextDecoder;
import dev.sightline.vision.qwen.text.TextWeights;
import dev.sightline.vision.qwen.config.GenerationConfig;
import dev.sightline.vision.weights.Checkpoint;
import dev.sightline.vision.weights.CheckpointValidator;
import dev.sightline.vision.weights.DtypePolicy;
import dev.sightline.vision.weights.RuntimeInfo;
import dev.sightline.vision.weights.WeightLoader;
import dev.sightline.vision.weights.Weights;

/**
 * What every family's loaded model holds the same way: the checkpoint directory and generation config, the
 * weights on a device under the runtime's {@link DtypePolicy}, and a manager per request. Loading validates the
 * checkpoint against the family's expected tensors before any tensor is read. A family ({@link QwenModel},
 * {@code Qwen3Model}) adds its config, vision tower and text decoder.
 */
public abstract class LoadedModel implements AutoCloseable {

	/** A checkpoint's weights as loaded, before the family builds its tower and decoder over them. */
	protected record LoadedWeights(Path directory, GenerationConfig generationConfig, NDManager manager,
			Weights weights, DtypePolicy policy) {
	}

	private final Path directory;

	private final GenerationConfig generationConfig;

	private final NDManager manager;

	private final Weights weights;

	private final DtypePolicy policy;

	private final RuntimeInfo runtime;

	private final PrefixCache prefixCache;

	private final TextDecoder text;

	private final SpecialTokenIds specialTokens;

	private final int spatialMergeSize;

	/**
	 * @param textConfig the family's text config: what the one {@link TextDecoder} needs to know of the family
	 * @param textWeights the decoder's tensors, as the family's loader read them
	 * @param specialTokens the family's image, video and vision-start token ids
	 * @param spatialMergeSize the family's vision config's patches merged into one token per side
	 */
	protected LoadedModel(LoadedWeights loaded, DecoderConfig textConfig, TextWeights textWeights,
			SpecialTokenIds specialTokens, int spatialMergeSize) {
		this.specialTokens = specialTokens;
		this.spatialMergeSize = spatialMergeSize;
		this.directory = loaded.directory();
		this.generationConfig = loaded.generationConfig();
		this.manager = loaded.manager();
		this.weights = loaded.weights();
		this.policy = loaded.policy();
		this.runtime = RuntimeInfo.of(manager.getDevice(), policy, weights.bytes());
		// Off until a caller gives it a budget (InProcessVl.setPrefixCacheBytes): the reference paths stay plain.
		this.prefixCache = new PrefixCache(manager.newSubManager(), 0);
		this.text = new TextDecoder(textConfig, textWeights, TextDecoder.SCORE_BUDGET_ELEMENTS, policy.text());
	}

	/**
	 * Validates the checkpoint of {@code directory} against {@code expected}, loads those tensors on the options'
	 * device in the policy's dtypes and builds the family's model over them (the manager is closed if that fails).
	 */
	protected static <M extends LoadedModel> M load(Path directory, LoadOptions options, Map<String, long[]> expected,
			Set<String> ignored, Function<LoadedWeights, M> build) {
		GenerationConfig generationConfig = GenerationConfig.read(directory);
		try (Checkpoint checkpoint = Checkpoint.open(directory)) {
			CheckpointValidator.validate(checkpoint, expected, ignored);
			Device device = options.device().resolve();
			DtypePolicy policy = options.computeType().policy(device);
			NDManager manager = NDManager.newBaseManager(device, "PyTorch");
			try {
				Weights weights = WeightLoader.load(checkpoint, expected.keySet(), manager,
						name -> policy.forTensor(name).weights(), options.listener());
				M model = build.apply(new LoadedWeights(directory, generationConfig, manager, weights, policy));
				model.prefixCache().setBudgetBytes(options.prefixCacheBytes());
				System.getLogger(model.getClass().getName())
					.log(System.Logger.Level.INFO, "loaded " + directory.getFileName() + ": " + model.runtime().describe());
				return model;
			}
			catch (RuntimeException e) {
				manager.close();
				throw e;
			}
		}
	}

	/**
	 * Hands a request's images (or videos) to the family's vision tower as {@code [patches, width]} pixel rows on
	 * the model's device.
	 * @param tower the tower's encode or begin over the rows and grids
	 * @return what the tower returns, or null when there are no images (or videos)
	 */
	protected static <R> R withPatchRows(NDManager request, float[] pixelValues, List<GridThw> grids, int width,
			BiFunction<NDArray, List<GridThw>, R> tower) {
		if (grids == null || grids.isEmpty()) {
			return null;
		}
		return tower.apply(patchRows(request, pixelValues, width), grids);
	}

	/** {@code [patches, width]} pixel rows of a request's images (or videos), on the model's device. */
	protected static NDArray patchRows(NDManager request, float[] pixelValues, int width) {
		return request.create(pixelValues, new Shape(pixelValues.length / width, width));
	}

	/** A new sequence with room for {@code capacity} tokens (prompt plus generated). */
	public abstract PromptSequence<?, ?> newSequence(int capacity);

	/** The text decoder: both families run the one {@link TextDecoder}, configured by their text config. */
	public TextDecoder text() {
		return text;
	}

	/** The family's image, video and vision-start token ids. */
	public SpecialTokenIds specialTokens() {
		return specialTokens;
	}

	/** Patches merged into one placeholder token per side (2: four patches per token). */
	public int spatialMergeSize() {
		return spatialMergeSize;
	}

	/** The dtype the text weights compute in (and the KV cache holds). */
	public DataType computeType() {
		return text().computeType();
	}

	/** A KV cache for one sequence of at most {@code capacity} tokens, shaped by the decoder's config. */
	public KvCache newCache(NDManager request, int capacity) {
		return new KvCache(request, text().config(), capacity, computeType());
	}

	public Path directory() {
		return directory;
	}

	public GenerationConfig generationConfig() {
		return generationConfig;
	}

	protected Weights weights() {
		return weights;
	}

	/** Engine, natives, device, dtypes and weights' memory. */
	public RuntimeInfo runtime() {
		return runtime;
	}

	/** The dtypes each part computes in. */
	public DtypePolicy dtypePolicy() {
		return policy;
	}

	public Device device() {
		return manager.getDevice();
	}

	/** Bytes of the loaded weights in the compute dtype. */
	public long weightBytes() {
		return weights.bytes();
	}

	/** KV blocks of earlier prompts that new sequences of this model start from (off, budget 0, until set). */
	public PrefixCache prefixCache() {
		return prefixCache;
	}

	/** A manager for one request's arrays, on the model's device. */
	public NDManager newRequestManager() {
		return manager.newSubManager();
	}

	@Override
	public void close() {
		prefixCache.close();
		weights.close();
		manager.close();
	}

}
