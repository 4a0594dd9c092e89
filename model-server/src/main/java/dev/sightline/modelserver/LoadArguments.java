package dev.sightline.modelserver;

import java.util.List;

import dev.sightline.vision.qwen.LoadOptions;
import dev.sightline.vision.weights.ComputeType;
import dev.sightline.vision.weights.DevicePolicy;

/** {@code --dtype} and {@code --device} of a command that loads a model, taken out of its argument list. */
final class LoadArguments {

	private LoadArguments() {
	}

	/** Removes {@code --dtype X} and {@code --device X} (or {@code --flag=X}) from {@code args}. */
	static LoadOptions extract(List<String> args) {
		LoadOptions options = LoadOptions.DEFAULTS;
		for (int i = 0; i < args.size();) {
			String arg = args.get(i);
			String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
			if (!flag.equals("--dtype") && !flag.equals("--device")) {
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
			options = flag.equals("--dtype") ? options.withComputeType(ComputeType.parse(value))
					: options.withDevice(new DevicePolicy(value));
		}
		return options;
	}

}
