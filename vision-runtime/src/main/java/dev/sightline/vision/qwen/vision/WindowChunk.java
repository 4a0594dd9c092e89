package dev.sightline.vision.qwen.vision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A run of whole windows of an encode's patches (rows {@code from..to} in window order) with its own window batch
 * and rotary tables: a windowed block over it gives exactly those rows of the block over all patches, since
 * windows never attend to each other.
 */
record WindowChunk(int from, int to, NDArray cos, NDArray sin, WindowBatch windows) {

	/**
	 * Groups consecutive windows into chunks of at most {@code maxPatches} patches (a larger window is a chunk of
	 * its own); a single chunk reuses the encode's whole tables and window batch.
	 * @param cuWindowSeqlens patch offsets of the windows in window order
	 */
	static List<WindowChunk> split(NDManager manager, int[] cuWindowSeqlens, int maxPatches, NDArray cos, NDArray sin,
			WindowBatch whole) {
		List<int[]> bounds = new ArrayList<>();
		int start = 0;
		for (int w = 1; w < cuWindowSeqlens.length; w++) {
			boolean full = cuWindowSeqlens[w] - cuWindowSeqlens[start] > maxPatches && w - 1 > start;
			if (full) {
				bounds.add(new int[] { start, w - 1 });
				start = w - 1;
			}
		}
		bounds.add(new int[] { start, cuWindowSeqlens.length - 1 });
		int patches = cuWindowSeqlens[cuWindowSeqlens.length - 1];
		if (bounds.size() == 1) {
			return List.of(new WindowChunk(0, patches, cos, sin, whole));
		}
		List<WindowChunk> chunks = new ArrayList<>(bounds.size());
		for (int[] bound : bounds) {
			int from = cuWindowSeqlens[bound[0]];
			int to = cuWindowSeqlens[bound[1]];
			int[] local = Arrays.copyOfRange(cuWindowSeqlens, bound[0], bound[1] + 1);
			for (int i = 0; i < local.length; i++) {
				local[i] -= from;
			}
			NDArray chunkCos = cos.get("{}:{}", from, to);
			NDArray chunkSin = sin.get("{}:{}", from, to);
			chunkCos.attach(manager);
			chunkSin.attach(manager);
			chunks.add(new WindowChunk(from, to, chunkCos, chunkSin, WindowBatch.of(manager, local)));
		}
		return List.copyOf(chunks);
	}

}
