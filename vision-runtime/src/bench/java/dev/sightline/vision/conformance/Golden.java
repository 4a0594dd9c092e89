package dev.sightline.vision.conformance;

import java.util.List;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.weights.SafeTensorsFile;

/** Conversions between golden tensors and our types. */
final class Golden {

	private Golden() {
	}

	static long[] unsigned(byte[] bytes) {
		long[] out = new long[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			out[i] = bytes[i] & 0xFF;
		}
		return out;
	}

	static long[] grid(GridThw grid) {
		return new long[] { grid.t(), grid.h(), grid.w() };
	}

	/** Rows of an {@code [n, 3]} I64 grid tensor; an absent tensor is null (absent upstream = None). */
	static List<GridThw> grids(SafeTensorsFile file, String name) {
		if (!file.contains(name)) {
			return null;
		}
		long[] flat = file.longs(name);
		return java.util.stream.IntStream.range(0, flat.length / 3)
			.mapToObj(i -> new GridThw((int) flat[i * 3], (int) flat[i * 3 + 1], (int) flat[i * 3 + 2]))
			.toList();
	}

	/** An I64 {@code [rows, cols]} tensor as a matrix; null when absent. */
	static long[][] matrix(SafeTensorsFile file, String name) {
		if (!file.contains(name)) {
			return null;
		}
		long[] shape = file.info(name).shape();
		long[] flat = file.longs(name);
		int rows = (int) shape[0];
		int cols = shape.length > 1 ? (int) shape[1] : flat.length / Math.max(1, rows);
		long[][] out = new long[rows][cols];
		for (int r = 0; r < rows; r++) {
			System.arraycopy(flat, r * cols, out[r], 0, cols);
		}
		return out;
	}

}
