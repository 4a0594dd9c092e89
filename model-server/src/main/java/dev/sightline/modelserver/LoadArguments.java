package dev.sightline.modelserver;

import java.util.List;

import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/**
 * {@code --dtype}, {@code --device} and {@code --prefix-cache-mb} of a command that loads a model, taken out of its
 * argument list.
 */
final class LoadArguments {

	private LoadArguments() {
	}

	/**
	 * Prefix cache budget of a served model unless {@code --prefix-cache-mb} says otherwise: about 14k tokens of
	 * Qwen2.5-VL 3B in float32 (73.7 kB a token), an agent's prompt with its history screenshots many times over.
	 */
	static final long DEFAULT_PREFIX_CACHE_MB = 1024;

	/** Removes {@code --dtype X}, {@code --device X} and {@code --prefix-cache-mb N} (or {@code --flag=X}). */
	static LoadOptions extract(List<String> args) {
		LoadOptions options = LoadOptions.DEFAULTS
			.withPrefixCacheBytes(PrefixCache.megabytes(DEFAULT_PREFIX_CACHE_MB));
		for (int i = 0; i < args.size();) {
			String arg = args.get(i);
			String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
			if (!flag.equals("--dtype") && !flag.equals("--device") && !flag.equals("--prefix-cache-mb")) {
				i++;
				continue;
			}
			String value;
			if (arg.contains("=")) {
				value = arg.substring(arg.indexOf('=') + 1);
				args.remove(i);
			}
			else if (i + 1 < args.size()) {
				value = args.get(i + 1);
				args.subList(i, i + 2).clear();
			}
			else {
				throw new IllegalArgumentException(flag + " needs a value");
			}
			options = switch (flag) {
				case "--dtype" -> options.withComputeType(ComputeType.parse(value));
				case "--device" -> options.withDevice(new DevicePolicy(value));
				default -> options.withPrefixCacheBytes(PrefixCache.megabytes(megabytes(value)));
			};
		}
		return options;
	}

	private static long megabytes(String value) {
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("--prefix-cache-mb must be a whole number of megabytes (0 = off), got '"
					+ value + "'");
		}
	}

}
