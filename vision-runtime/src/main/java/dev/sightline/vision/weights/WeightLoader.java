package dev.sightline.vision.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Streams tensors from disk into device arrays of the compute dtype through one bounded staging buffer: the file
 * is read in chunks (never mapped whole, never copied onto the Java heap), each chunk widened to float32 in Java
 * (DJL's JNI aborts on bfloat16), then copied into a slice of the preallocated native array. Peak extra memory is
 * two chunks, whatever the shard or tensor size.
 */
public final class WeightLoader {

	/** Elements per chunk: 16 MiB of float32. */
	static final int CHUNK_ELEMENTS = 4 << 20;

	private WeightLoader() {
	}

	public static Weights load(Checkpoint checkpoint, Collection<String> names, NDManager parent, DataType computeType,
			LoadListener listener) {
		NDManager manager = parent.newSubManager();
		long bytesTotal = names.stream().mapToLong(n -> checkpoint.entry(n).info().byteLength()).sum();
		Map<String, NDArray> loaded = new LinkedHashMap<>();
		ByteBuffer raw = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 8).order(ByteOrder.LITTLE_ENDIAN);
		ByteBuffer widened = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4).order(ByteOrder.nativeOrder());
		FloatBuffer floats = widened.asFloatBuffer();
		try {
			long bytesDone = 0;
			for (String name : names) {
				Checkpoint.Entry entry = checkpoint.entry(name);
				NDArray array = loadOne(entry, manager, computeType, raw, widened, floats);
				array.setName(name);
				loaded.put(name, array);
				bytesDone += entry.info().byteLength();
				listener.onProgress(bytesDone, bytesTotal, loaded.size(), names.size());
			}
			return new Weights(manager, loaded);
		}
		catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	private static NDArray loadOne(Checkpoint.Entry entry, NDManager manager, DataType computeType,
			ByteBuffer raw, ByteBuffer widened, FloatBuffer floats) {
		SafeTensorsFile.TensorInfo info = entry.info();
		long elements = info.elementCount();
		int width = info.dtype().bytes();
		NDArray array = manager.create(new Shape(info.shape()), computeType);
		try (NDArray flat = array.reshape(elements)) {
			for (long done = 0; done < elements; done += CHUNK_ELEMENTS) {
				int count = (int) Math.min(CHUNK_ELEMENTS, elements - done);
				raw.clear().limit(count * width);
				entry.file().read(info, done * width, raw);
				raw.flip();
				DTypes.widen(info.dtype(), raw, floats, count);
				ByteBuffer slice = widened.duplicate().order(ByteOrder.nativeOrder()).position(0).limit(count * 4);
				try (NDArray chunk = manager.create(slice.slice().order(ByteOrder.nativeOrder()), new Shape(count),
						DataType.FLOAT32);
						NDArray converted = computeType == DataType.FLOAT32 ? null : chunk.toType(computeType, false)) {
					flat.set(new NDIndex("{}:{}", done, done + count), converted == null ? chunk : converted);
				}
			}
		}
		return array;
	}

}
