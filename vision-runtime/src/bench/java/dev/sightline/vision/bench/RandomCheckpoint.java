package dev.sightline.vision.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A random-weight Qwen2.5-VL checkpoint in bfloat16 on disk (config.json, generation_config.json,
 * model.safetensors), so the benchmark exercises the real loader and model code. Norm weights are near 1, the rest
 * uniform with a small spread so activations stay finite.
 */
final class RandomCheckpoint {

	private static final ObjectMapper JSON = new ObjectMapper();

	private RandomCheckpoint() {
	}

	static void write(Path dir, Map<String, Object> config, Map<String, long[]> shapes, long seed) throws IOException {
		Files.createDirectories(dir);
		JSON.writeValue(dir.resolve("config.json").toFile(), config);
		JSON.writeValue(dir.resolve("generation_config.json").toFile(), Map.of("eos_token_id", new int[] { 151645 }));
		Map<String, Object> header = new LinkedHashMap<>();
		long offset = 0;
		for (Map.Entry<String, long[]> tensor : shapes.entrySet()) {
			long bytes = elements(tensor.getValue()) * 2;
			header.put(tensor.getKey(), Map.of("dtype", "BF16", "shape", tensor.getValue(), "data_offsets",
					new long[] { offset, offset + bytes }));
			offset += bytes;
		}
		byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		SplittableRandom random = new SplittableRandom(seed);
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("model.safetensors")),
				1 << 20)) {
			out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
			out.write(json);
			for (int i = json.length; i < padded; i++) {
				out.write(' ');
			}
			byte[] chunk = new byte[1 << 20];
			for (Map.Entry<String, long[]> tensor : shapes.entrySet()) {
				boolean norm = tensor.getValue().length == 1 && tensor.getKey().contains("norm")
						|| tensor.getKey().endsWith("ln_q.weight");
				long remaining = elements(tensor.getValue());
				while (remaining > 0) {
					int n = (int) Math.min(chunk.length / 2, remaining);
					for (int i = 0; i < n; i++) {
						float value = norm ? 1 + 0.1f * (random.nextFloat() - 0.5f)
								: 0.04f * (random.nextFloat() - 0.5f);
						int bits = Float.floatToRawIntBits(value) >>> 16;
						chunk[2 * i] = (byte) bits;
						chunk[2 * i + 1] = (byte) (bits >>> 8);
					}
					out.write(chunk, 0, 2 * n);
					remaining -= n;
				}
			}
		}
	}

	static long elements(long[] shape) {
		long n = 1;
		for (long d : shape) {
			n *= d;
		}
		return n;
	}

}
