package dev.sightline.vision.weights;

import java.util.Locale;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * {@code sightline.model.device}: {@code auto} (first GPU when libtorch sees one, else CPU, saying why in the log),
 * {@code cpu} or {@code gpu:N}. A GPU that cannot be had is an error that says why, never a silent CPU fallback:
 * which natives ./sightline picks is described in docs/vision-model.md "Natives".
 */
public record DevicePolicy(String value) {

	private static final System.Logger LOG = System.getLogger(DevicePolicy.class.getName());

	public DevicePolicy {
		value = value.trim().toLowerCase(Locale.ROOT);
		if (!value.equals("auto") && !value.equals("cpu") && !value.matches("gpu(:\\d+)?")) {
			throw new IllegalArgumentException("sightline.model.device must be auto, cpu or gpu:N, got '" + value + "'");
		}
	}

	public static final DevicePolicy AUTO = new DevicePolicy("auto");

	public Device resolve() {
		if (value.equals("cpu")) {
			return Device.cpu();
		}
		Engine engine = Engine.getEngine("PyTorch");
		int gpus = engine.getGpuCount();
		String flavour = RuntimeInfo.loadedFlavour();
		if (value.equals("auto")) {
			if (gpus > 0) {
				return Device.gpu(0);
			}
			LOG.log(System.Logger.Level.INFO, "sightline.model.device auto runs on the CPU: " + noGpu(engine, flavour));
			return Device.cpu();
		}
		int id = value.contains(":") ? Integer.parseInt(value.substring(4)) : 0;
		if (gpus == 0) {
			throw new IllegalArgumentException("sightline.model.device " + value + " cannot be honoured: "
					+ noGpu(engine, flavour));
		}
		if (id >= gpus) {
			throw new IllegalArgumentException("sightline.model.device " + value + " asks for GPU " + id
					+ " but libtorch sees " + gpus + " GPU(s) (gpu:0 to gpu:" + (gpus - 1) + ")");
		}
		return Device.gpu(id);
	}

	private static String noGpu(Engine engine, String flavour) {
		if (flavour.equals("cpu")) {
			return "libtorch " + engine.getVersion() + " was loaded from its CPU natives, which have no CUDA (no GPU "
					+ "was visible to ./sightline, or PYTORCH_FLAVOR=cpu, or pytorch-native-cpu is on the class path); "
					+ "on a GPU machine start through ./sightline, or set PYTORCH_FLAVOR=cu128 (or PYTORCH_LIBRARY_PATH) "
					+ "with no CPU native jar on the class path";
		}
		return "libtorch " + engine.getVersion() + " (" + flavour + " natives) sees no GPU: check the NVIDIA driver "
				+ "(nvidia-smi) and CUDA_VISIBLE_DEVICES";
	}

}
