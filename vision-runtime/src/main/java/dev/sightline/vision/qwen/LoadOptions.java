package dev.sightline.vision.qwen;

import java.util.Objects;

import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;
import dev.sightline.vision.weights.LoadListener;

/**
 * How to load a checkpoint.
 *
 * @param computeType {@code sightline.model.dtype}, default {@code auto}
 * @param device {@code sightline.model.device}, default {@code auto}
 * @param listener progress while weights stream in
 */
public record LoadOptions(ComputeType computeType, DevicePolicy device, LoadListener listener) {

	public static final LoadOptions DEFAULTS = new LoadOptions(ComputeType.AUTO, DevicePolicy.AUTO, LoadListener.NONE);

	public LoadOptions {
		Objects.requireNonNull(computeType, "computeType");
		Objects.requireNonNull(device, "device");
		Objects.requireNonNull(listener, "listener");
	}

	public LoadOptions withComputeType(ComputeType value) {
		return new LoadOptions(value, device, listener);
	}

	public LoadOptions withDevice(DevicePolicy value) {
		return new LoadOptions(computeType, value, listener);
	}

	public LoadOptions withListener(LoadListener value) {
		return new LoadOptions(computeType, device, value);
	}

}
