package dev.sightline.vision.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Streams tensors from disk into device arrays of the compute dtype through bounded staging buffers: the file is
 * read in chunks (never mapped whole, never copied onto the Java heap) and each chunk widened to float32 in Java
 * (DJL's JNI aborts on bfloat16). Float32 arrays on the CPU are written in place through a direct view of their
 * memory, by two threads taking chunks in turn (reading, widening and first-touching the new pages then overlap on
 * two cores); other arrays get each widened chunk copied into a slice. Peak extra memory is two chunks per thread,
 * whatever the shard or tensor size.
 */
public final class WeightLoader {

	/** Elements per chunk: 16 MiB of float32. */
	static final int CHUNK_ELEMENTS = 4 << 20;

	/** Elements per chunk written in place: 4 MiB of float32, small enough to balance two threads. */
	static final int IN_PLACE_CHUNK_ELEMENTS = 1 << 20;

	private WeightLoader() {
	}

	public static Weights load(Checkpoint checkpoint, Collection<String> names, NDManager parent, DataType computeType,
			LoadListener listener) {
		return load(checkpoint, names, parent, name -> computeType, listener);
	}

	/** @param dtypeOf the dtype each tensor is stored in on the device (per model part, see {@link DtypePolicy}) */
	public static Weights load(Checkpoint checkpoint, Collection<String> names, NDManager parent,
			Function<String, DataType> dtypeOf, LoadListener listener) {
		NDManager manager = parent.newSubManager();
		long bytesTotal = names.stream().mapToLong(n -> checkpoint.entry(n).info().byteLength()).sum();
		Map<String, NDArray> loaded = new LinkedHashMap<>();
		try {
			boolean allFloat32 = names.stream().allMatch(n -> dtypeOf.apply(n) == DataType.FLOAT32);
			if (allFloat32 && Device.cpu().equals(manager.getDevice())) {
				loadInPlace(checkpoint, names, manager, loaded, bytesTotal, listener);
			}
			else {
				loadByCopy(checkpoint, names, manager, dtypeOf, loaded, bytesTotal, listener);
			}
			return new Weights(manager, loaded);
		}
		catch (RuntimeException e) {
			manager.close();
			throw e;
		}
	}

	private static void loadByCopy(Checkpoint checkpoint, Collection<String> names, NDManager manager,
			Function<String, DataType> dtypeOf, Map<String, NDArray> loaded, long bytesTotal, LoadListener listener) {
		ByteBuffer raw = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 8).order(ByteOrder.LITTLE_ENDIAN);
		ByteBuffer widened = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4).order(ByteOrder.nativeOrder());
		long bytesDone = 0;
		for (String name : names) {
			Checkpoint.Entry entry = checkpoint.entry(name);
			NDArray array = copyOne(entry, manager, dtypeOf.apply(name), raw, widened);
			array.setName(name);
			loaded.put(name, array);
			bytesDone += entry.info().byteLength();
			listener.onProgress(bytesDone, bytesTotal, loaded.size(), names.size());
		}
	}

	private static NDArray copyOne(Checkpoint.Entry entry, NDManager manager, DataType computeType, ByteBuffer raw,
			ByteBuffer widened) {
		FloatBuffer floats = widened.asFloatBuffer();
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

	/** One chunk of one tensor, to be widened straight into {@code target}. */
	private record Piece(int tensor, Checkpoint.Entry entry, ByteBuffer target, long offset, int count) {
	}

	private static void loadInPlace(Checkpoint checkpoint, Collection<String> names, NDManager manager,
			Map<String, NDArray> loaded, long bytesTotal, LoadListener listener) {
		// Allocating reserves address space only: pages are committed as the chunks are written, so peak memory
		// still grows with the bytes loaded.
		List<Piece> pieces = new ArrayList<>();
		List<Checkpoint.Entry> entries = new ArrayList<>(names.size());
		for (String name : names) {
			Checkpoint.Entry entry = checkpoint.entry(name);
			SafeTensorsFile.TensorInfo info = entry.info();
			long elements = info.elementCount();
			if (elements * 4 > Integer.MAX_VALUE) {
				// A Java buffer cannot view 2 GiB or more (a 7B model's embedding): copy it in chunks instead.
				NDArray array = copyOne(entry, manager, DataType.FLOAT32,
						ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 8).order(ByteOrder.LITTLE_ENDIAN),
						ByteBuffer.allocateDirect(CHUNK_ELEMENTS * 4).order(ByteOrder.nativeOrder()));
				array.setName(name);
				loaded.put(name, array);
				entries.add(entry);
				continue;
			}
			NDArray array = manager.create(new Shape(info.shape()), DataType.FLOAT32);
			array.setName(name);
			loaded.put(name, array);
			ByteBuffer view = array.toByteBuffer(true);
			if (!view.isDirect() || view.capacity() != elements * 4) {
				throw new IllegalStateException("the engine gave no direct view of the float32 array " + name);
			}
			for (long done = 0; done < elements; done += IN_PLACE_CHUNK_ELEMENTS) {
				int count = (int) Math.min(IN_PLACE_CHUNK_ELEMENTS, elements - done);
				pieces.add(new Piece(entries.size(), entry, view, done, count));
			}
			entries.add(entry);
		}
		AtomicInteger next = new AtomicInteger();
		AtomicInteger[] piecesLeft = new AtomicInteger[entries.size()];
		for (int t = 0; t < piecesLeft.length; t++) {
			piecesLeft[t] = new AtomicInteger();
		}
		pieces.forEach(p -> piecesLeft[p.tensor()].incrementAndGet());
		AtomicReference<RuntimeException> failure = new AtomicReference<>();
		Thread helper = Thread.ofPlatform()
			.name("sightline-weight-loader")
			.daemon()
			.start(() -> writePieces(pieces, next, piecesLeft, failure, null));
		Progress progress = new Progress(entries, piecesLeft, bytesTotal, listener);
		writePieces(pieces, next, piecesLeft, failure, progress);
		try {
			helper.join();
		}
		catch (InterruptedException e) {
			failure.compareAndSet(null, new CheckpointException("interrupted while loading weights", e));
			next.set(pieces.size());
			Thread.currentThread().interrupt();
		}
		if (failure.get() != null) {
			throw failure.get();
		}
		progress.reportFinished();
	}

	private static void writePieces(List<Piece> pieces, AtomicInteger next, AtomicInteger[] piecesLeft,
			AtomicReference<RuntimeException> failure, Progress progress) {
		ByteBuffer raw = ByteBuffer.allocateDirect(IN_PLACE_CHUNK_ELEMENTS * 4).order(ByteOrder.LITTLE_ENDIAN);
		try {
			for (int i = next.getAndIncrement(); i < pieces.size() && failure.get() == null; i = next
				.getAndIncrement()) {
				Piece piece = pieces.get(i);
				writePiece(piece, raw);
				piecesLeft[piece.tensor()].decrementAndGet();
				if (progress != null) {
					progress.reportFinished();
				}
			}
		}
		catch (RuntimeException e) {
			failure.compareAndSet(null, e);
			next.set(pieces.size());
		}
	}

	private static void writePiece(Piece piece, ByteBuffer raw) {
		SafeTensorsFile.TensorInfo info = piece.entry().info();
		int width = info.dtype().bytes();
		ByteBuffer target = piece.target()
			.slice(Math.toIntExact(piece.offset() * 4), piece.count() * 4)
			.order(ByteOrder.nativeOrder());
		if (info.dtype() == DType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
			piece.entry().file().read(info, piece.offset() * 4, target);
			return;
		}
		raw.clear().limit(piece.count() * width);
		piece.entry().file().read(info, piece.offset() * width, raw);
		raw.flip();
		DTypes.widen(info.dtype(), raw, target.asFloatBuffer(), piece.count());
	}

	/** Reports tensors to the listener in file order, on the loading thread only, as their last chunk lands. */
	private static final class Progress {

		private final List<Checkpoint.Entry> entries;

		private final AtomicInteger[] piecesLeft;

		private final long bytesTotal;

		private final LoadListener listener;

		private int reported;

		private long bytesDone;

		Progress(List<Checkpoint.Entry> entries, AtomicInteger[] piecesLeft, long bytesTotal, LoadListener listener) {
			this.entries = entries;
			this.piecesLeft = piecesLeft;
			this.bytesTotal = bytesTotal;
			this.listener = listener;
		}

		void reportFinished() {
			while (this.reported < this.entries.size() && this.piecesLeft[this.reported].get() == 0) {
				this.bytesDone += this.entries.get(this.reported).info().byteLength();
				this.reported++;
				this.listener.onProgress(this.bytesDone, this.bytesTotal, this.reported, this.entries.size());
			}
		}

	}

}
