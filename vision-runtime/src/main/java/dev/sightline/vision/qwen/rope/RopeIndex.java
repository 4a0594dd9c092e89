package dev.sightline.vision.qwen.rope;

/**
 * Prefill position ids of a batch (spec §7.3).
 *
 * @param positionIds {@code [3][batch][len]}: temporal, height and width ids; padded slots hold 1
 * @param ropeDeltas {@code [batch]}: {@code max(position) + 1 - len}, added to the cache position while decoding
 */
public record RopeIndex(long[][][] positionIds, long[] ropeDeltas) {

	public int batchSize() {
		return ropeDeltas.length;
	}

	public int length() {
		return positionIds[0].length == 0 ? 0 : positionIds[0][0].length;
	}

}
