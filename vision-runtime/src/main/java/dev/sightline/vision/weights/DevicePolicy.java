package dev.sightline.vision.weights;

import java.util.Locale;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** {@code sightline.model.device}: {@code auto} (first GPU when libtorch sees one, else CPU), {@code cpu} or {@code gpu:N}. */
public record DevicePolicy(String value) {

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
		int gpus = Engine.getEngine("PyTorch").getGpuCount();
		if (value.equals("auto")) {
			return gpus > 0 ? Device.gpu(0) : Device.cpu();
		}
		int id = value.contains(":") ? Integer.parseInt(value.substring(4)) : 0;
		if (id >= gpus) {
			throw new IllegalArgumentException("sightline.model.device " + value + " asks for GPU " + id + " but libtorch sees "
					+ gpus + " GPU(s)");
		}
		return Device.gpu(id);
	}

}
