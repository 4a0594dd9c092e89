package dev.sightline.vision.qwen.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.sightline.vision.weights.Precision;
import dev.sightline.vision.weights.Weights;

/**
 * The token embedding table and the output head both families' decoders read: {@code model.embed_tokens.weight},
 * and {@code lm_head.weight} or, for tied checkpoints (Qwen2.5-VL 3B, Qwen3-VL 2B and 4B), the embedding itself.
 */
public final class TokenEmbedding {

	private final NDArray embedTokens; // [vocab, hidden]

	private final NDArray lmHead; // [vocab, hidden]

	private final int vocabSize;

	private final Precision precision;

	/** @param precision weights' and residual stream's dtypes (the weights must already be in {@code weights}) */
	public TokenEmbedding(Weights weights, boolean tieWordEmbeddings, int vocabSize, Precision precision) {
		this.embedTokens = weights.get("model.embed_tokens.weight");
		// If lm_head.weight is absent the head is tied to the embedding.
		this.lmHead = tieWordEmbeddings ? embedTokens : weights.get("lm_head.weight");
		this.vocabSize = vocabSize;
		this.precision = precision;
	}

	/** {@code [S, hidden]} embeddings of {@code ids} in the residual dtype, owned by {@code manager}. */
	public NDArray embed(NDManager manager, long[] ids) {
		for (long id : ids) {
			if (id < 0 || id >= vocabSize) {
				throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocabSize + ")");
			}
		}
		NDArray rows = embedTokens.get(manager.create(ids));
		rows.attach(manager);
		// Mixed precision: the residual stream starts wide (widened once out of the weights' manager).
		return precision.toResidual(rows);
	}

	/** The output head {@code [vocab, hidden]}. */
	public NDArray head() {
		return lmHead;
	}

	/** The dtype the weights compute in. */
	public DataType computeType() {
		return embedTokens.getDataType();
	}

}
