package dev.sightline.vision.preprocess;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Recently processed images by the SHA-256 of their encoded bytes (or decoded RGB pixels) and the pixel budget they
 * were resized for. An
 * agent sends its last few screenshots again with every step; hashing a PNG costs about a millisecond, decoding,
 * resizing and patching it tens (a 1280×720 one is 5.6 million floats), so a repeated image is processed once. The
 * result depends on nothing else (the processor's config is fixed per model). Least recently used images go first
 * when the budget, counted in the floats held, is full; 0 keeps nothing. Safe for concurrent callers.
 */
public final class ProcessedImageMemo {

	/** @param widthPx 0 for encoded bytes, else the decoded pixels' size (so the two never share a key) */
	private record Key(String sha256, PixelBudget budget, int widthPx, int heightPx) {
	}

	private final Map<Key, ProcessedImage> images = new LinkedHashMap<>(16, 0.75f, true);

	private long budgetBytes;

	private long bytes;

	private long hits;

	private long misses;

	/** @param budgetBytes the most the held pixel values may take; 0 keeps nothing */
	public ProcessedImageMemo(long budgetBytes) {
		setBudgetBytes(budgetBytes);
	}

	/** Changes the budget, dropping the least recently used images down to it at once. */
	public synchronized void setBudgetBytes(long value) {
		if (value < 0) {
			throw new IllegalArgumentException("the processed-image memo budget must be at least 0 bytes, got " + value);
		}
		budgetBytes = value;
		evictTo(value);
	}

	/**
	 * The image processed earlier from the same bytes and budget, else {@code process}'s result, kept for next time.
	 * Callers must not write into the returned pixel values: they are shared.
	 */
	public ProcessedImage process(byte[] encoded, PixelBudget budget, Supplier<ProcessedImage> process) {
		return process(() -> new Key(sha256(encoded), budget, 0, 0), process);
	}

	/**
	 * {@link #process(byte[], PixelBudget, Supplier)} for decoded pixels (the in-process agent's screenshots), keyed
	 * by the SHA-256 of their RGB bytes and their size: about 2 ms for 1280×720 against the tens a resize takes.
	 */
	public ProcessedImage process(RgbImage image, PixelBudget budget, Supplier<ProcessedImage> process) {
		return process(() -> new Key(sha256(image.rgb()), budget, image.widthPx(), image.heightPx()), process);
	}

	private ProcessedImage process(Supplier<Key> keyOf, Supplier<ProcessedImage> process) {
		boolean off;
		synchronized (this) {
			off = budgetBytes == 0;
			misses += off ? 1 : 0;
		}
		if (off) {
			return process.get();
		}
		Key key = keyOf.get();
		synchronized (this) {
			ProcessedImage known = images.get(key);
			if (known != null) {
				hits++;
				return known;
			}
			misses++;
		}
		// Outside the lock: other callers' hits need not wait for this decode.
		ProcessedImage image = process.get();
		long size = (long) image.pixelValues().length * Float.BYTES;
		synchronized (this) {
			if (size <= budgetBytes && !images.containsKey(key)) {
				evictTo(budgetBytes - size);
				images.put(key, image);
				bytes += size;
			}
		}
		return image;
	}

	/** Requests answered from the memo. */
	public synchronized long hits() {
		return hits;
	}

	/** Requests that processed their image. */
	public synchronized long misses() {
		return misses;
	}

	private void evictTo(long limit) {
		Iterator<ProcessedImage> eldest = images.values().iterator();
		while (bytes > limit && eldest.hasNext()) {
			bytes -= (long) eldest.next().pixelValues().length * Float.BYTES;
			eldest.remove();
		}
	}

	private static String sha256(byte[] encoded) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java runtime provides SHA-256", e);
		}
	}

}
