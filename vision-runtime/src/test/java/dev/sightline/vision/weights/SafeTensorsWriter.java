package dev.sightline.vision.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes small safetensors files in tests: re-sharded, renamed or damaged copies of a checkpoint. */
public final class SafeTensorsWriter {

	/** One tensor to write: raw little-endian bytes of {@code dtype}. */
	public record Tensor(String name, DType dtype, long[] shape, byte[] data) {
	}

	private final Map<String, Tensor> tensors = new LinkedHashMap<>();

	public SafeTensorsWriter add(Tensor tensor) {
		tensors.put(tensor.name(), tensor);
		return this;
	}

	/** A copy of one tensor of {@code file}, under a new name. */
	public SafeTensorsWriter copy(SafeTensorsFile file, String from, String to) {
		SafeTensorsFile.TensorInfo info = file.info(from);
		ByteBuffer data = file.map(info, 0, (int) info.byteLength());
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		return add(new Tensor(to, info.dtype(), info.shape(), bytes));
	}

	public void write(Path path) throws IOException {
		Map<String, Object> header = new LinkedHashMap<>();
		long offset = 0;
		for (Tensor tensor : tensors.values()) {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("dtype", tensor.dtype().name());
			entry.put("shape", tensor.shape());
			entry.put("data_offsets", new long[] { offset, offset + tensor.data().length });
			header.put(tensor.name(), entry);
			offset += tensor.data().length;
		}
		byte[] json = new ObjectMapper().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		try (OutputStream out = Files.newOutputStream(path)) {
			out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
			out.write(json);
			for (int i = json.length; i < padded; i++) {
				out.write(' ');
			}
			for (Tensor tensor : tensors.values()) {
				out.write(tensor.data());
			}
		}
	}

	/** Float32 bytes of {@code values}. */
	public static byte[] f32(float[] values) {
		ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		buffer.asFloatBuffer().put(values);
		return buffer.array();
	}

}
