package dev.sightline.vision.qwen3;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.qwen.config.GenerationConfig;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen3.config.Qwen3Config;
import dev.sightline.vision.qwen3.text.Qwen3TextDecoder;
import dev.sightline.vision.qwen3.vision.Qwen3VisionTower;
import dev.sightline.vision.qwen3.vision.VisionFeatures;
import dev.sightline.vision.weights.Checkpoint;
import dev.sightline.vision.weights.CheckpointValidator;
import dev.sightline.vision.weights.DtypePolicy;
import dev.sightline.vision.weights.RuntimeInfo;
import dev.sightline.vision.weights.WeightLoader;
import dev.sightline.vision.weights.Weights;

/**
 * A loaded Qwen3-VL (dense): config, weights on the device, vision tower and Qwen3 decoder (QWEN3_VL spec §1). The
 * checkpoint (one file or shards, either key layout: the shared {@link Checkpoint} loader) is validated against the
 * config before any tensor is read; the dtype and device policy are the runtime's {@link LoadOptions}: the same
 * per-part {@link DtypePolicy} as Qwen2.5-VL (vision tower and decoder each get their {@code Precision}).
 */
public final class Qwen3Model implements AutoCloseable {

	private final Path directory;

	private final Qwen3Config config;

	private final GenerationConfig generationConfig;

	private final NDManager manager;

	private final Weights weights;

	private final Qwen3VisionTower vision;

	private final Qwen3TextDecoder text;

	private final DtypePolicy policy;

	private final RuntimeInfo runtime;

	private static final System.Logger LOG = System.getLogger(Qwen3Model.class.getName());

	private Qwen3Model(Path directory, Qwen3Config config, GenerationConfig generationConfig, NDManager manager,
			Weights weights, DtypePolicy policy) {
		this.directory = directory;
		this.config = config;
		this.generationConfig = generationConfig;
		this.manager = manager;
		this.weights = weights;
		this.policy = policy;
		this.vision = new Qwen3VisionTower(config.vision(), weights, policy.vision());
		this.text = new Qwen3TextDecoder(config.text(), weights, config.tieWordEmbeddings(), policy.text());
		this.runtime = RuntimeInfo.of(manager.getDevice(), policy, weights.bytes());
		LOG.log(System.Logger.Level.INFO, "loaded " + directory.getFileName() + ": " + runtime.describe());
	}

	public static Qwen3Model load(Path directory, LoadOptions options) {
		Qwen3Config config = Qwen3Config.read(directory.resolve("config.json"));
		GenerationConfig generationConfig = GenerationConfig.read(directory);
		try (Checkpoint checkpoint = Checkpoint.open(directory)) {
			Map<String, long[]> expected = Qwen3Tensors.expected(config);
			CheckpointValidator.validate(checkpoint, expected, Qwen3Tensors.ignored(config));
			Device device = options.device().resolve();
			DtypePolicy policy = options.computeType().policy(device);
			NDManager manager = NDManager.newBaseManager(device, "PyTorch");
			try {
				Weights weights = WeightLoader.load(checkpoint, expected.keySet(), manager,
						name -> policy.forTensor(name).weights(), options.listener());
				return new Qwen3Model(directory, config, generationConfig, manager, weights, policy);
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

	public Qwen3Config config() {
		return config;
	}

	public GenerationConfig generationConfig() {
		return generationConfig;
	}

	public Qwen3VisionTower vision() {
		return vision;
	}

	public Qwen3TextDecoder text() {
		return text;
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

	/** Vision and DeepStack features of the images (or videos) of a request, or null when there are none. */
	public VisionFeatures encodeVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		if (grids == null || grids.isEmpty()) {
			return null;
		}
		int width = config.vision().patchRowWidth();
		NDArray pixels = request.create(pixelValues, new Shape(pixelValues.length / width, width));
		return vision.encode(request, pixels, grids);
	}

	/** A vision encode to run block by block, or null when there are no images (or videos). */
	public Qwen3VisionTower.Encoding beginVision(NDManager request, float[] pixelValues, List<GridThw> grids) {
		if (grids == null || grids.isEmpty()) {
			return null;
		}
		int width = config.vision().patchRowWidth();
		NDArray pixels = request.create(pixelValues, new Shape(pixelValues.length / width, width));
		return vision.begin(request, pixels, grids);
	}

	/** A new sequence with room for {@code capacity} tokens (prompt plus generated). */
	public Qwen3Sequence newSequence(int capacity) {
		return new Qwen3Sequence(this, capacity);
	}

	KvCache newCache(NDManager request, int capacity) {
		return new KvCache(request, config.text().numHiddenLayers(), config.text().numKeyValueHeads(),
				config.text().headDim(), capacity, computeType());
	}

	@Override
	public void close() {
		weights.close();
		manager.close();
	}

}
