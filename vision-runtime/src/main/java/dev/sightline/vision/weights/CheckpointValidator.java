package dev.sightline.vision.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a checkpoint's tensors against what a model config needs, before anything is loaded or computed, and
 * reports every problem at once: missing, unexpected, wrongly shaped and non-float tensors.
 */
public final class CheckpointValidator {

	private CheckpointValidator() {
	}

	/**
	 * @param expected canonical name → shape the config implies
	 * @param ignored canonical names that may be present without being used (e.g. a tied {@code lm_head.weight})
	 */
	public static void validate(Checkpoint checkpoint, Map<String, long[]> expected, Set<String> ignored) {
		List<String> missing = new ArrayList<>();
		List<String> wrongShape = new ArrayList<>();
		List<String> wrongType = new ArrayList<>();
		for (Map.Entry<String, long[]> want : expected.entrySet()) {
			Checkpoint.Entry entry = checkpoint.tensors().get(want.getKey());
			if (entry == null) {
				missing.add(want.getKey());
				continue;
			}
			if (!Arrays.equals(entry.info().shape(), want.getValue())) {
				wrongShape.add(want.getKey() + " is " + Arrays.toString(entry.info().shape()) + ", config needs "
						+ Arrays.toString(want.getValue()));
			}
			DType dtype = entry.info().dtype();
			if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
				wrongType.add(want.getKey() + " is " + dtype + " (need F32, F16 or BF16)");
			}
		}
		List<String> extra = checkpoint.tensors()
			.keySet()
			.stream()
			.filter(name -> !expected.containsKey(name) && !ignored.contains(name))
			.toList();
		if (missing.isEmpty() && wrongShape.isEmpty() && wrongType.isEmpty() && extra.isEmpty()) {
			return;
		}
		StringBuilder message = new StringBuilder("checkpoint " + checkpoint.directory()
				+ " does not match its config.json:");
		append(message, "missing tensors", missing);
		append(message, "unexpected tensors", extra);
		append(message, "wrong shapes", wrongShape);
		append(message, "unsupported dtypes", wrongType);
		throw new CheckpointException(message.toString());
	}

	private static void append(StringBuilder message, String title, List<String> items) {
		if (!items.isEmpty()) {
			message.append("\n  ")
				.append(title)
				.append(" (")
				.append(items.size())
				.append("): ")
				.append(Checkpoint.abbreviate(items));
		}
	}

}
