package dev.sightline.vision.qwen;

import java.nio.file.Path;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.config.GenerationConfig;
import dev.sightline.vision.qwen.config.QwenConfig;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.text.TextDecoder;
import dev.sightline.vision.qwen.vision.VisionTower;
import dev.sightline.vision.weights.Checkpoint;
import dev.sightline.vision.weights.CheckpointValidator;
import dev.sightline.vision.weights.DtypePolicy;
import dev.sightline.vision.weights.RuntimeInfo;
import dev.sightline.vision.weights.WeightLoader;
import dev.sightline.vision.weights.Weights;

/**
 * A loaded Qwen2.5-VL: config, weights on the device, vision tower and decoder, plus the prefill and decode steps
 * of one sequence (spec §7.3, §7.4). The checkpoint is validated against its config before any tensor is read.
 */
public final class QwenModel implements AutoCloseable {

	private final Path directory;

	private final QwenConfig config;

	private final GenerationConfig generationConfig;

	private final NDManager manager;

	private final Weights weights;

	private final VisionTower vision;

	private final TextDecoder text;

	private final DtypePolicy policy;

	private final RuntimeInfo runtime;

	private static final System.Logger LOG = System.getLogger(QwenModel.class.getName());

	private QwenModel(Path directory, QwenConfig config, GenerationConfig generationConfig, NDManager manager,
			Weights weights, DtypePolicy policy) {
		this.directory = directory;
		this.config = config;
		this.generationConfig = generationConfig;
		this.manager = manager;
		this.weights = weights;
		this.policy = policy;
		this.vision = new VisionTower(config.vision(), weights, policy.vision());
		this.text = new TextDecoder(config.text(), weights, config.tieWordEmbeddings(),
				TextDecoder.SCORE_BUDGET_ELEMENTS, policy.text());
		this.runtime = RuntimeInfo.of(manager.getDevice(), policy, weights.bytes());
		LOG.log(System.Logger.Level.INFO, "loaded " + directory.getFileName() + ": " + runtime.describe());
	}

	public static QwenModel load(Path directory, LoadOptions options) {
		QwenConfig config = QwenConfig.read(directory.resolve("config.json"));
		GenerationConfig generationConfig = GenerationConfig.read(directory);
		try (Checkpoint checkpoint = Checkpoint.open(directory)) {
			var expected = QwenTensors.expected(config);
			CheckpointValidator.validate(checkpoint, expected, QwenTensors.ignored(config));
			Device device = options.device().resolve();
			DtypePolicy policy = options.computeType().policy(device);
			NDManager manager = NDManager.newBaseManager(device, "PyTorch");
			try {
				Weights weights = WeightLoader.load(checkpoint, expected.keySet(), manager,
						name -> policy.forTensor(name).weights(), options.listener());
				return new QwenModel(directory, config, generationConfig, manager, weights, policy);
			}
			catch (RuntimeException e) {
				manager.close();
				throw e;
			}
		}
	}

	public Path directory() {
		return directory;
	}

	public QwenConfig config() {
		return config;
	}

	public GenerationConfig generationConfig() {
		return generationConfig;
	}

	public VisionTower vision() {
		return vision;
	}

	public TextDecoder text() {
		return text;
	}

	Weights weights() {
		return weights;
	}

	/** A decoder over the same weights whose prefill attention chunks hold at most {@code scoreBudgetElements} scores. */
	TextDecoder textWithScoreBudget(long scoreBudgetElements) {
		return new TextDecoder(config.text(), weights, config.tieWordEmbeddings(), scoreBudgetElements, policy.text());
	}

	public DataType computeType() {
		return text.computeType();
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

	/** A manager for one request's arrays, on the model's device. */
	public NDManager newRequestManager() {
		return manager.newSubManager();
	}

	/**
	 * Vision features of a request: {@code [tokens, hidden]} for the images (or videos) in order, or null when there
	 * are none.
	 */
	public NDArray encodeVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		if (grids == null || grids.isEmpty()) {
			return null;
		}
		int width = config.vision().patchRowWidth();
		NDArray pixels = request.create(pixelValues, new Shape(pixelValues.length / width, width));
		return vision.encode(request, pixels, grids);
	}

	/** A vision encode to run block by block, or null when there are no images (or videos). */
	public VisionTower.Encoding beginVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		if (grids == null || grids.isEmpty()) {
			return null;
		}
		int width = config.vision().patchRowWidth();
		NDArray pixels = request.create(pixelValues, new Shape(pixelValues.length / width, width));
		return vision.begin(request, pixels, grids);
	}

	/**
	 * Prompt embeddings with the vision features written over their placeholder tokens, in order (spec §7).
	 * @param imageEmbeds {@code [image tokens, hidden]} or null
	 * @param videoEmbeds {@code [video tokens, hidden]} or null
	 */
	public NDArray embedPrompt(NDManager request, long[] inputIds, NDArray imageEmbeds, NDArray videoEmbeds) {
		NDArray embeds = text.embed(request, inputIds);
		splice(request, embeds, inputIds, config.tokens().imageTokenId(), imageEmbeds, "image");
		splice(request, embeds, inputIds, config.tokens().videoTokenId(), videoEmbeds, "video");
		return embeds;
	}

	private static void splice(NDManager request, NDArray embeds, long[] ids, int placeholder, NDArray features,
			String what) {
		int count = 0;
		for (long id : ids) {
			count += id == placeholder ? 1 : 0;
		}
		long available = features == null ? 0 : features.getShape().get(0);
		if (count != available) {
			throw new IllegalArgumentException("prompt has " + count + " " + what + " placeholder tokens but the "
					+ what + "s give " + available + " features (t*h*w/4 per item)");
		}
		if (count == 0) {
			return;
		}
		long[] positions = new long[count];
		int at = 0;
		for (int i = 0; i < ids.length; i++) {
			if (ids[i] == placeholder) {
				positions[at++] = i;
			}
		}
		try (NDManager scope = request.newSubManager()) {
			NDArray index = scope.create(positions);
			embeds.set(new ai.djl.ndarray.index.NDIndex("{}", index), features.toType(embeds.getDataType(), false));
		}
	}

	/** A new sequence with room for {@code capacity} tokens (prompt plus generated). */
	public QwenSequence newSequence(int capacity) {
		return new QwenSequence(this, capacity);
	}

	/** A KV cache for one sequence of at most {@code capacity} tokens. */
	public KvCache newCache(NDManager request, int capacity) {
		return new KvCache(request, config.text(), capacity, computeType());
	}

	@Override
	public void close() {
		weights.close();
		manager.close();
	}

}
