package dev.sightline.vision.prefix;

import java.nio.ByteBuffer;

/**
 * The key of one KV block: SHA-256 over the previous block's key and this block's tokens, so equal keys mean an
 * equal prefix from the first token on (a hash chain, as vLLM's block hashes). 256 bits, so a collision, which
 * would hand a request another prompt's keys and values, is not a practical concern.
 */
public record BlockKey(long a, long b, long c, long d) {

	static BlockKey of(byte[] sha256) {
		ByteBuffer bytes = ByteBuffer.wrap(sha256);
		return new BlockKey(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong());
	}

	void writeTo(ByteBuffer out) {
		out.putLong(a).putLong(b).putLong(c).putLong(d);
	}

}
