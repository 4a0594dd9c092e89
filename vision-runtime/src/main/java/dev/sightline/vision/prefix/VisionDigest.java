package dev.sightline.vision.prefix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.sightline.vision.preprocess.GridThw;

/**
 * What identifies one image's (or video's) placeholder tokens for the prefix cache: SHA-256 of its preprocessed
 * patches, its grid and (Qwen2.5-VL videos) its seconds per temporal grid step — everything its vision features and
 * M-RoPE positions depend on. Keyed on the patches, not the encoded file, so a PNG and the same decoded pixels
 * share blocks.
 */
public record VisionDigest(BlockKey value) {

	/** Floats hashed per update, to keep the staging buffer small. */
	private static final int CHUNK_FLOATS = 1 << 16;

	/**
	 * @param pixelValues the request's concatenated patch rows
	 * @param from first float of this item
	 * @param length floats of this item
	 * @param secondsPerGrid seconds per temporal grid step (0 for images)
	 */
	public static VisionDigest of(float[] pixelValues, int from, int length, GridThw grid, float secondsPerGrid) {
		MessageDigest sha = sha256();
		ByteBuffer header = ByteBuffer.allocate(16);
		header.putInt(grid.t()).putInt(grid.h()).putInt(grid.w()).putFloat(secondsPerGrid);
		sha.update(header.array());
		ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		for (int at = from; at < from + length; at += CHUNK_FLOATS) {
			int count = Math.min(CHUNK_FLOATS, from + length - at);
			chunk.clear();
			chunk.asFloatBuffer().put(pixelValues, at, count);
			sha.update(chunk.array(), 0, count * Float.BYTES);
		}
		return new VisionDigest(BlockKey.of(sha.digest()));
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java runtime provides SHA-256", e);
		}
	}

}
