package dev.sightline.vision.weights;

/** Element types a safetensors file may hold, with their width in bytes. */
public enum DType {

	F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

	private final int bytes;

	DType(int bytes) {
		this.bytes = bytes;
	}

	public int bytes() {
		return bytes;
	}

	public boolean isFloating() {
		return this == F64 || this == F32 || this == F16 || this == BF16;
	}

	static DType fromSafetensors(String name, String tensor) {
		try {
			return valueOf(name);
		}
		catch (IllegalArgumentException e) {
			throw new CheckpointException("tensor " + tensor + " has unsupported dtype " + name);
		}
	}

}
