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
 * @param prefixCacheBytes budget of the model's prefix cache ({@code --prefix-cache-mb},
 *        {@code sightline.model.prefix-cache-mb}); 0, the default here, leaves it off (the server and the agent
 *        service turn it on with their own defaults)
 */
public record LoadOptions(ComputeType computeType, DevicePolicy device, LoadListener listener, long prefixCacheBytes) {

	public static final LoadOptions DEFAULTS = new LoadOptions(ComputeType.AUTO, DevicePolicy.AUTO, LoadListener.NONE,
			0);

	public LoadOptions {
		Objects.requireNonNull(computeType, "computeType");
		Objects.requireNonNull(device, "device");
		Objects.requireNonNull(listener, "listener");
		if (prefixCacheBytes < 0) {
			throw new IllegalArgumentException("the prefix cache budget must be at least 0 bytes (0 = off), got "
					+ prefixCacheBytes);
		}
	}

	public LoadOptions withComputeType(ComputeType value) {
		return new LoadOptions(value, device, listener, prefixCacheBytes);
	}

	public LoadOptions withDevice(DevicePolicy value) {
		return new LoadOptions(computeType, value, listener, prefixCacheBytes);
	}

	public LoadOptions withListener(LoadListener value) {
		return new LoadOptions(computeType, device, value, prefixCacheBytes);
	}

	public LoadOptions withPrefixCacheBytes(long value) {
		return new LoadOptions(computeType, device, listener, value);
	}

}
