package dev.sightline.vision.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One {@code .safetensors} file: the JSON header parsed once, tensor data read through memory maps of just the
 * requested range, so a multi-gigabyte shard never lands on the Java heap. Widening to float happens here because
 * DJL's PyTorch JNI cannot hold bfloat16.
 */
public final class SafeTensorsFile implements AutoCloseable {

	/** Largest header we accept: real checkpoints have headers of a few hundred KB. */
	static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Path path;

	private final FileChannel channel;

	private final long dataStart;

	private final Map<String, TensorInfo> tensors;

	private final Map<String, String> metadata;

	private SafeTensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
			Map<String, String> metadata) {
		this.path = path;
		this.channel = channel;
		this.dataStart = dataStart;
		this.tensors = tensors;
		this.metadata = metadata;
	}

	public static SafeTensorsFile open(Path path) {
		FileChannel channel;
		try {
			channel = FileChannel.open(path, StandardOpenOption.READ);
		}
		catch (IOException e) {
			throw new CheckpointException("cannot open " + path + ": " + e.getMessage(), e);
		}
		try {
			long fileSize = channel.size();
			if (fileSize < 8) {
				throw new CheckpointException(path + " is truncated: " + fileSize + " bytes, a safetensors file "
						+ "starts with an 8-byte header length");
			}
			ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			readFully(channel, lengthBytes, 0);
			long headerLength = lengthBytes.getLong(0);
			if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
				throw new CheckpointException(path + " has an invalid header length " + headerLength + " (file is "
						+ fileSize + " bytes, limit " + MAX_HEADER_BYTES + ")");
			}
			ByteBuffer header = ByteBuffer.allocate((int) headerLength);
			readFully(channel, header, 8);
			JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
			long dataStart = 8 + headerLength;
			Map<String, TensorInfo> tensors = new LinkedHashMap<>();
			Map<String, String> metadata = new LinkedHashMap<>();
			for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> field = it.next();
				if (field.getKey().equals("__metadata__")) {
					field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
					continue;
				}
				TensorInfo info = TensorInfo.fromHeader(field.getKey(), field.getValue());
				if (dataStart + info.endOffset() > fileSize) {
					throw new CheckpointException(path + " is truncated: tensor " + info.name() + " ends at byte "
							+ (dataStart + info.endOffset()) + " but the file has " + fileSize);
				}
				tensors.put(info.name(), info);
			}
			return new SafeTensorsFile(path, channel, dataStart, tensors, metadata);
		}
		catch (IOException e) {
			closeQuietly(channel);
			throw new CheckpointException("cannot read safetensors header of " + path + ": " + e.getMessage(), e);
		}
		catch (RuntimeException e) {
			closeQuietly(channel);
			throw e;
		}
	}

	public Path path() {
		return path;
	}

	public Map<String, TensorInfo> tensors() {
		return tensors;
	}

	public Map<String, String> metadata() {
		return metadata;
	}

	public boolean contains(String name) {
		return tensors.containsKey(name);
	}

	public TensorInfo info(String name) {
		TensorInfo info = tensors.get(name);
		if (info == null) {
			throw new CheckpointException(name + " not found in " + path);
		}
		return info;
	}

	/**
	 * Maps {@code byteLength} bytes of a tensor's data starting at {@code byteOffset} within it (little endian).
	 * Callers stream tensors over 2 GB through several such windows.
	 */
	public ByteBuffer map(TensorInfo info, long byteOffset, int byteLength) {
		if (byteOffset < 0 || byteLength < 0 || byteOffset + byteLength > info.byteLength()) {
			throw new IndexOutOfBoundsException("window [" + byteOffset + ", " + (byteOffset + byteLength)
					+ ") outside tensor " + info.name() + " of " + info.byteLength() + " bytes");
		}
		try {
			MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY,
					dataStart + info.beginOffset() + byteOffset, byteLength);
			return mapped.order(ByteOrder.LITTLE_ENDIAN);
		}
		catch (IOException e) {
			throw new CheckpointException("cannot map " + info.name() + " of " + path + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Reads tensor bytes from {@code byteOffset} within the tensor until {@code target} is full, with a positional
	 * read (no mapping, so nothing stays resident once the caller's buffer is reused).
	 */
	public void read(TensorInfo info, long byteOffset, ByteBuffer target) {
		if (byteOffset < 0 || byteOffset + target.remaining() > info.byteLength()) {
			throw new IndexOutOfBoundsException("read [" + byteOffset + ", " + (byteOffset + target.remaining())
					+ ") outside tensor " + info.name() + " of " + info.byteLength() + " bytes");
		}
		long at = dataStart + info.beginOffset() + byteOffset;
		try {
			while (target.hasRemaining()) {
				int n = channel.read(target, at);
				if (n < 0) {
					throw new CheckpointException(path + " is truncated inside tensor " + info.name() + " at byte " + at);
				}
				at += n;
			}
		}
		catch (IOException e) {
			throw new CheckpointException("cannot read " + info.name() + " from " + path + ": " + e.getMessage(), e);
		}
	}

	/** A whole tensor widened to float32 (F32, F16 or BF16 on disk). For tensors under 2^31 elements. */
	public float[] floats(String name) {
		TensorInfo info = info(name);
		float[] out = new float[Math.toIntExact(info.elementCount())];
		DTypes.widen(info.dtype(), map(info, 0, Math.toIntExact(info.byteLength())), out, 0, out.length);
		return out;
	}

	/** A whole integer tensor (I64, I32, U8, ...) as longs. */
	public long[] longs(String name) {
		TensorInfo info = info(name);
		ByteBuffer data = map(info, 0, Math.toIntExact(info.byteLength()));
		long[] out = new long[Math.toIntExact(info.elementCount())];
		for (int i = 0; i < out.length; i++) {
			out[i] = switch (info.dtype()) {
				case I64 -> data.getLong(i * 8);
				case I32 -> data.getInt(i * 4);
				case I16 -> data.getShort(i * 2);
				case I8 -> data.get(i);
				case U8, BOOL -> Byte.toUnsignedInt(data.get(i));
				default -> throw new CheckpointException(name + " has dtype " + info.dtype() + ", not an integer type");
			};
		}
		return out;
	}

	@Override
	public void close() {
		closeQuietly(channel);
	}

	private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			int n = channel.read(buffer, at);
			if (n < 0) {
				throw new IOException("unexpected end of file at byte " + at);
			}
			at += n;
		}
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ignored) {
			// Nothing useful to do: the file was only read.
		}
	}

	/** One tensor's header entry; offsets are relative to the end of the header. */
	public record TensorInfo(String name, DType dtype, long[] shape, long beginOffset, long endOffset) {

		public long elementCount() {
			long n = 1;
			for (long d : shape) {
				n = Math.multiplyExact(n, d);
			}
			return n;
		}

		public long byteLength() {
			return endOffset - beginOffset;
		}

		public List<Long> shapeList() {
			return java.util.Arrays.stream(shape).boxed().toList();
		}

		static TensorInfo fromHeader(String name, JsonNode node) {
			JsonNode dtype = node.get("dtype");
			JsonNode shape = node.get("shape");
			JsonNode offsets = node.get("data_offsets");
			if (dtype == null || shape == null || offsets == null || offsets.size() != 2) {
				throw new CheckpointException(
						"tensor " + name + " header needs dtype, shape and two data_offsets, got " + node);
			}
			long[] dims = new long[shape.size()];
			for (int i = 0; i < dims.length; i++) {
				dims[i] = shape.get(i).asLong();
				if (dims[i] < 0) {
					throw new CheckpointException("tensor " + name + " has a negative dimension in shape " + shape);
				}
			}
			TensorInfo info = new TensorInfo(name, DType.fromSafetensors(dtype.asText(), name), dims,
					offsets.get(0).asLong(), offsets.get(1).asLong());
			long expected = info.elementCount() * info.dtype().bytes();
			if (info.beginOffset() < 0 || info.byteLength() != expected) {
				throw new CheckpointException("tensor " + name + " spans " + info.byteLength() + " bytes but shape "
						+ shape + " of " + info.dtype() + " needs " + expected);
			}
			return info;
		}

	}

}
