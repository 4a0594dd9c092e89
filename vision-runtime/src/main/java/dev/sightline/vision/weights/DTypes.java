package dev.sightline.vision.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Widening of on-disk floating types to float32, done in Java because DJL's PyTorch JNI has no bfloat16. */
public final class DTypes {

	private DTypes() {
	}

	/** bfloat16 is the top half of a float32. */
	public static float bf16ToFloat(short bits) {
		return Float.intBitsToFloat((bits & 0xFFFF) << 16);
	}

	/** Reads {@code count} elements of {@code dtype} from the start of {@code data} into {@code out[from..]}. */
	public static void widen(DType dtype, ByteBuffer data, float[] out, int from, int count) {
		switch (dtype) {
			case F32 -> data.asFloatBuffer().get(out, from, count);
			case BF16 -> {
				for (int i = 0; i < count; i++) {
					out[from + i] = bf16ToFloat(data.getShort(i * 2));
				}
			}
			case F16 -> {
				for (int i = 0; i < count; i++) {
					out[from + i] = Float.float16ToFloat(data.getShort(i * 2));
				}
			}
			case F64 -> {
				for (int i = 0; i < count; i++) {
					out[from + i] = (float) data.getDouble(i * 8);
				}
			}
			default -> throw new CheckpointException("cannot widen " + dtype + " to float32");
		}
	}

	/**
	 * Reads {@code count} elements of {@code dtype} from the start of {@code data} (little endian) into
	 * {@code out[0..count)}; the loader's path, from a bounded staging buffer into a direct float buffer.
	 */
	public static void widen(DType dtype, ByteBuffer data, FloatBuffer out, int count) {
		switch (dtype) {
			case F32 -> {
				FloatBuffer source = data.duplicate().order(data.order()).asFloatBuffer();
				source.limit(count);
				out.duplicate().put(source);
			}
			case BF16 -> {
				// Two elements per int read: the hot loop of loading, half the bounds checks of a short at a time.
				int pairs = count >> 1;
				boolean little = data.order() == ByteOrder.LITTLE_ENDIAN;
				for (int p = 0; p < pairs; p++) {
					int bits = data.getInt(p << 2);
					int first = little ? bits << 16 : bits & 0xFFFF0000;
					int second = little ? bits & 0xFFFF0000 : bits << 16;
					out.put(p << 1, Float.intBitsToFloat(first));
					out.put((p << 1) + 1, Float.intBitsToFloat(second));
				}
				if ((count & 1) != 0) {
					out.put(count - 1, bf16ToFloat(data.getShort((count - 1) << 1)));
				}
			}
			case F16 -> {
				for (int i = 0; i < count; i++) {
					out.put(i, Float.float16ToFloat(data.getShort(i << 1)));
				}
			}
			default -> throw new CheckpointException("cannot widen " + dtype + " to float32");
		}
	}

}
