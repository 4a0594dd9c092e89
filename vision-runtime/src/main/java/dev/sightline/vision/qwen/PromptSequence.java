package dev.sightline.vision.qwen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.prefix.PromptBlocks;
import dev.sightline.vision.prefix.VisionDigest;
import dev.sightline.vision.qwen.config.SpecialTokenIds;
import dev.sightline.vision.qwen.rope.MRopePositions;
import dev.sightline.vision.qwen.rope.RopeIndex;
import dev.sightline.vision.qwen.text.KvCache;
import dev.sightline.vision.qwen.vision.VisionEncoding;
import dev.sightline.vision.weights.FiniteCheck;

/**
 * What every family's sequence does the same way (spec §7.3, §7.4): compute the prompt's positions, run its image
 * and video encodes a few blocks at a time, embed the prompt after them, feed it to the KV cache whole or in chunks
 * of shared passes, then feed one generated token per step at {@code cache_position + rope_delta}. A family
 * ({@link QwenSequence}, {@code Qwen3Sequence}) supplies its position rules, its vision tower, how the features are
 * spliced into the prompt and its text decoder (and anything its decoder takes beside a prompt chunk, such as
 * Qwen3-VL's DeepStack rows). Owns one request manager; close it when done.
 *
 * @param <E> the family's vision encode in progress
 * @param <P> what the family's decoder takes per shared pass beside embeddings and positions ({@link Void} for none)
 */
public abstract class PromptSequence<E extends VisionEncoding, P> implements QwenDecoding.Source {

	private static final String HEAD = "output head (lm_head)";

	private final LoadedModel model;

	private final NDManager request;

	private final KvCache cache;

	private long ropeDelta;

	private long[][] prefillPositions;

	// The prompt's embeddings while it is being fed; released once it is all cached.
	private NDArray promptEmbeds;

	private NDManager promptScope;

	private double visionMs;

	// The prompt's vision encodes while they are pending; the prompt is embedded after them.
	private E imageVision;

	private E videoVision;

	private NDManager visionScope;

	private long[] promptIds;

	// The prompt as given (promptIds may have cached images' placeholders blanked), for its block keys.
	private long[] inputIds;

	// The prompt's block keys for the prefix cache; null while the cache is off.
	private PromptBlocks blocks;

	private int cachedPrefixTokens;

	// With the prefix cache on and a family that reuses image features: per image still to embed, in order, its
	// digest and its features when they came from the cache (null: it goes through the vision tower).
	private List<VisionDigest> pendingDigests;

	private NDArray[] reusedFeatures;

	private List<GridThw> pendingGrids;

	/**
	 * @param model the family's model; only sequences of the same model share a pass
	 * @param request this sequence's manager, closed with it
	 */
	protected PromptSequence(LoadedModel model, NDManager request, KvCache cache) {
		this.model = model;
		this.request = request;
		this.cache = cache;
	}

	/** The family's image, video and vision-start token ids. */
	protected SpecialTokenIds specialTokens() {
		return model.specialTokens();
	}

	/** Patches merged into one placeholder token per side (2: four patches per token). */
	protected int spatialMergeSize() {
		return model.spatialMergeSize();
	}

	/** The prompt's {@code [3][1][L]} positions and rope delta, by the family's rules. */
	protected abstract RopeIndex ropeIndex(ModelInputs inputs);

	/** Begins the family's vision encode of {@code pixelValues}; null when there are none. */
	protected abstract E beginVision(NDManager scope, float[] pixelValues, List<GridThw> grids);

	/**
	 * The prompt's {@code [L, hidden]} embeddings with the finished encodes' features spliced over their pads;
	 * anything the family keeps beside them for the prompt passes goes to {@code keep}.
	 * @param visionScope the encodes' manager, closed after this returns
	 * @param images null without images
	 * @param videos null without videos
	 */
	protected abstract NDArray embedPrompt(NDManager visionScope, NDManager keep, long[] ids, E images, E videos);

	/**
	 * Whether the family's images are fully described by their {@code [tokens, hidden]} features, so an image seen
	 * before can skip the vision tower ({@link #imageFeatures}, {@link #embedPromptWithImageFeatures}). False unless
	 * a family says so: Qwen3-VL's prompt also takes an encode's DeepStack rows.
	 */
	protected boolean reusesImageFeatures() {
		return false;
	}

	/** The {@code [image tokens, hidden]} features of a finished image encode, images in order. */
	protected NDArray imageFeatures(E images) {
		throw new UnsupportedOperationException("this family does not reuse image features");
	}

	/** {@link #embedPrompt} with the images' features given as rows (some of them reused) instead of an encode. */
	protected NDArray embedPromptWithImageFeatures(NDManager visionScope, NDManager keep, long[] ids,
			NDArray imageFeatures, E videos) {
		throw new UnsupportedOperationException("this family does not reuse image features");
	}

	/** Called once every prompt token is cached, to drop what the family kept beside the prompt embeddings. */
	protected void promptCached() {
	}

	/** A manager for one pass's temporaries. */
	protected NDManager newPassScope() {
		return model.newRequestManager();
	}

	/** The embeddings of generated tokens. */
	protected NDArray embedTokens(NDManager scope, long[] ids) {
		return model.text().embed(scope, ids);
	}

	/** A new collector of what the family's decoder takes per pass beside embeddings (null for none). */
	protected abstract P newPassExtras();

	/** Adds to {@code extras} what prompt positions {@code from..to}, fed at pass row {@code passRow}, bring. */
	protected void addPromptChunk(P extras, NDManager scope, int from, int to, int passRow) {
	}

	/** The family's text layers over one shared pass; returns the {@code [rows, hidden]} hidden states. */
	protected abstract NDArray forward(NDManager scope, NDArray input, long[][] positions, List<KvCache> caches,
			int[] rowsPerCache, P extras);

	/** The output head over {@code [rows, hidden]}. */
	protected NDArray logits(NDArray hidden) {
		return model.text().logits(hidden);
	}

	/** The dtype policy, for the error a non-finite logit raises. */
	protected String precision() {
		return model.dtypePolicy().describe();
	}

	/**
	 * Runs the whole prompt in one shared pass of this sequence alone.
	 * @param allLogits true for {@code [L, vocab]} logits of every position, false for the last row only
	 * @return float32 logits, row-major
	 */
	public float[] prefill(ModelInputs inputs, boolean allLogits) {
		// All logits need every prompt row fed; the last row's alone can start after a cached prefix.
		prepare(inputs, !allLogits);
		return pass(List.of(this), new long[] { 0 }, Integer.MAX_VALUE, allLogits)[0];
	}

	/**
	 * Gets the prompt ready for {@link #pass}: positions, the vision tower, and the prompt embeddings with the
	 * vision features spliced in. The prompt's text layers run later, in one or more shared passes.
	 */
	public void prepare(ModelInputs inputs) {
		prepare(inputs, false);
	}

	/**
	 * {@link #prepare}, starting after the longest prefix the model's prefix cache holds when {@code reusePrefix}
	 * (the prompt's logits then exist only from there on).
	 */
	public void prepare(ModelInputs inputs, boolean reusePrefix) {
		begin(inputs, reusePrefix);
		advanceVision(Integer.MAX_VALUE);
	}

	/**
	 * {@link #prepare} with the vision encodes begun but not run: they run in {@link #advanceVision} (a few blocks
	 * at a time beside other requests' decode passes, or all at once), then the prompt is embedded. Until then
	 * {@link #pass} feeds this sequence nothing.
	 */
	public void begin(ModelInputs inputs) {
		begin(inputs, true);
	}

	/**
	 * {@link #begin(ModelInputs)}; with {@code reusePrefix} and the model's prefix cache on, the longest cached
	 * prefix of the prompt (leaving at least its last token to feed, whose logits start the answer) is copied into
	 * this sequence's KV cache, and images that lie wholly inside it are not encoded: only their keys and values
	 * were needed, and those are restored. The rest of the prompt keeps the positions and rope delta of the whole
	 * prompt, so it continues exactly where the cached keys' rotary positions end.
	 */
	public void begin(ModelInputs inputs, boolean reusePrefix) {
		begin(inputs, reusePrefix, null);
	}

	/**
	 * {@link #begin(ModelInputs, boolean)} with the images' {@link VisionDigest}s already known (in order; null to
	 * hash the pixel values here): a request whose images the model's memo processed before skips hashing them.
	 */
	public void begin(ModelInputs inputs, boolean reusePrefix, List<VisionDigest> imageDigests) {
		if (imageDigests != null && imageDigests.size() != inputs.imageGrids().size()) {
			throw new IllegalArgumentException("one digest per image: got " + imageDigests.size() + " for "
					+ inputs.imageGrids().size() + " images");
		}
		if (cache.length() != 0 || prefillPositions != null) {
			throw new IllegalStateException("prefill runs once per sequence");
		}
		PrefixCache prefixes = model.prefixCache();
		ModelInputs toEncode = inputs;
		long[] toEmbed = inputs.inputIds();
		List<VisionDigest> digests = null;
		if (prefixes.enabled()) {
			digests = imageDigests != null ? imageDigests : PrefixKeys.imageDigests(inputs);
			blocks = PrefixKeys.blocks(inputs, specialTokens(), spatialMergeSize(), digests);
			if (reusePrefix) {
				int length = inputs.inputIds().length;
				cachedPrefixTokens = prefixes.restore(blocks.keys(inputs.inputIds(), length),
						(length - 1) / PrefixCache.BLOCK_TOKENS, length, cache, request);
				if (cachedPrefixTokens > 0) {
					PrefixKeys.Uncached rest = PrefixKeys.withoutCachedImages(inputs, specialTokens(),
							spatialMergeSize(), cachedPrefixTokens);
					toEncode = rest.inputs();
					toEmbed = rest.embedIds();
				}
			}
		}
		RopeIndex index = ropeIndex(inputs);
		long[][] positions = new long[3][];
		for (int axis = 0; axis < 3; axis++) {
			positions[axis] = index.positionIds()[axis][0];
		}
		prefillPositions = positions;
		ropeDelta = index.ropeDeltas()[0];
		promptIds = toEmbed;
		inputIds = inputs.inputIds();
		visionScope = request.newSubManager();
		try {
			if (digests != null && reusesImageFeatures() && !toEncode.imageGrids().isEmpty()) {
				toEncode = reuseFeatures(prefixes, toEncode, digests);
			}
			imageVision = beginVision(visionScope, toEncode.pixelValues(), toEncode.imageGrids());
			videoVision = beginVision(visionScope, toEncode.pixelValuesVideos(), toEncode.videoGrids());
			if (imageVision == null && videoVision == null) {
				embedPrompt();
			}
		}
		catch (RuntimeException e) {
			visionScope.close();
			visionScope = null;
			throw e;
		}
	}

	/**
	 * Starts this fresh sequence where {@code leader} (a sequence of the same model) is once its prompt is all
	 * cached: a copy of the prompt's keys and values, with its positions and rope delta, so another choice of the
	 * same request ({@code n} > 1) decodes on without running the prompt again. Nothing of the leader is shared
	 * afterwards (its cache goes on being written).
	 */
	@Override
	public void shareFrom(QwenDecoding.Source leader) {
		if (!(leader instanceof PromptSequence<?, ?> other) || other.model != model) {
			throw new IllegalArgumentException("a prompt is shared only between sequences of the same model");
		}
		if (cache.length() != 0 || prefillPositions != null) {
			throw new IllegalStateException("only a fresh sequence takes a shared prompt");
		}
		if (other.prefillPositions == null || other.promptEmbeds != null || other.visionScope != null) {
			throw new IllegalStateException("the leader's prompt is not all cached yet");
		}
		int promptLength = other.prefillPositions[0].length;
		try (NDManager scope = request.newSubManager()) {
			cache.restore(other.cache.copy(scope, 0, promptLength), scope);
		}
		prefillPositions = other.prefillPositions;
		ropeDelta = other.ropeDelta;
		promptIds = other.promptIds;
		inputIds = other.inputIds;
		blocks = other.blocks;
		cachedPrefixTokens = promptLength;
	}

	/**
	 * Takes from the cache the features of the images still to embed that were encoded before (the images wholly
	 * in a restored prefix are the first ones and are gone from {@code toEncode} already).
	 * @return {@code toEncode} without those images
	 */
	private ModelInputs reuseFeatures(PrefixCache prefixes, ModelInputs toEncode, List<VisionDigest> digests) {
		int images = toEncode.imageGrids().size();
		pendingDigests = digests.subList(digests.size() - images, digests.size());
		pendingGrids = toEncode.imageGrids();
		reusedFeatures = new NDArray[images];
		boolean[] reused = new boolean[images];
		boolean any = false;
		for (int i = 0; i < images; i++) {
			reusedFeatures[i] = prefixes.features(pendingDigests.get(i), visionScope);
			reused[i] = reusedFeatures[i] != null;
			any |= reused[i];
		}
		return any ? PrefixKeys.withoutImages(toEncode, reused) : toEncode;
	}

	@Override
	public int visionBlocksLeft() {
		return (imageVision == null ? 0 : imageVision.blocksLeft()) + (videoVision == null ? 0 : videoVision.blocksLeft());
	}

	/**
	 * Runs up to {@code maxBlocks} more vision blocks of this prompt (images first, then videos); after the last it
	 * embeds the prompt.
	 * @return true when the prompt is ready to be fed
	 */
	@Override
	public boolean advanceVision(int maxBlocks) {
		if (visionScope == null) {
			return promptEmbeds != null;
		}
		long start = System.nanoTime();
		int budget = maxBlocks;
		boolean done = true;
		for (E encoding : Arrays.asList(imageVision, videoVision)) {
			if (encoding != null) {
				int before = encoding.blocksLeft();
				done &= encoding.advance(Math.max(0, budget));
				budget -= before - encoding.blocksLeft();
			}
		}
		if (done) {
			embedPrompt();
		}
		visionMs += (System.nanoTime() - start) / 1e6;
		return done;
	}

	private void embedPrompt() {
		NDManager embedding = request.newSubManager();
		try {
			promptEmbeds = pendingDigests == null
					? embedPrompt(visionScope, embedding, promptIds, imageVision, videoVision)
					: embedPromptWithImageFeatures(visionScope, embedding, promptIds, imageRows(), videoVision);
			promptEmbeds.attach(embedding);
			promptScope = embedding;
		}
		catch (RuntimeException e) {
			embedding.close();
			throw e;
		}
		finally {
			imageVision = null;
			videoVision = null;
			pendingDigests = null;
			pendingGrids = null;
			reusedFeatures = null;
			visionScope.close();
			visionScope = null;
		}
	}

	/**
	 * The features of the images still to embed, in order: reused ones from the cache, the others from this
	 * request's encode, each of which the cache keeps for the next prompt that shows the same image.
	 */
	private NDArray imageRows() {
		NDArray encoded = imageVision == null ? null : imageFeatures(imageVision);
		PrefixCache prefixes = model.prefixCache();
		NDList rows = new NDList();
		long row = 0;
		for (int i = 0; i < reusedFeatures.length; i++) {
			if (reusedFeatures[i] != null) {
				rows.add(reusedFeatures[i]);
				continue;
			}
			long tokens = encodedTokens(i);
			NDArray image = encoded.get("{}:{}", row, row + tokens);
			image.attach(visionScope);
			prefixes.storeFeatures(pendingDigests.get(i), image);
			rows.add(image);
			row += tokens;
		}
		NDArray all = rows.size() == 1 ? rows.get(0) : NDArrays.concat(rows, 0);
		all.attach(visionScope);
		return all;
	}

	/** Placeholder tokens of the {@code i}-th image still to embed (its grid over the merge size squared). */
	private long encodedTokens(int i) {
		return pendingGrids.get(i).tokens(spatialMergeSize());
	}

	/** Prompt tokens not yet fed to the text layers (0 once the prompt is done). */
	public int promptTokensLeft() {
		if (visionScope != null) {
			return prefillPositions[0].length - cache.length();
		}
		return promptEmbeds == null ? 0 : prefillPositions[0].length - cache.length();
	}

	/** Feeds one generated token; returns its {@code [vocab]} logits. */
	public float[] step(long tokenId) {
		return pass(List.of(this), new long[] { tokenId }, Integer.MAX_VALUE, false)[0];
	}

	/**
	 * One decoder pass shared by {@code sequences} (continuous batching with chunked prefill). A sequence whose
	 * prompt is still being fed takes its next chunk of it, at most {@code promptTokenBudget} prompt tokens for the
	 * whole pass, given out in order; any other sequence feeds {@code tokenIds[b]}, its last generated token, at
	 * {@code cache_position + rope_delta} (spec §7.4). A sequence the budget does not reach sits this pass out.
	 * @param allLogits true for the {@code [rows, vocab]} logits of every fed row in the first slot (one sequence
	 *        prefilling its whole prompt), false for each sequence's last row
	 * @return per sequence the {@code [vocab]} logits of its last fed row, or null when it fed nothing or its prompt
	 *         is not finished yet
	 */
	protected static <P> float[][] pass(List<? extends PromptSequence<?, P>> sequences, long[] tokenIds,
			int promptTokenBudget, boolean allLogits) {
		return pass(sequences, tokenIds, promptTokenBudget, allLogits, new boolean[sequences.size()]).logits();
	}

	/**
	 * What one shared pass gives each sequence: the {@code [vocab]} logits of its last fed row, or the argmax of
	 * them picked on the device ({@code picked[b]}, -1 when not picked there), or neither (null logits and -1) when it
	 * fed nothing or its prompt is not finished.
	 */
	public record PassResult(float[][] logits, int[] picked) {
	}

	/**
	 * {@link #pass} for requests of any family; a sequence with {@code argmaxOnDevice[b]} gets the argmax of its
	 * logits picked by libtorch instead of its logits: a greedy step then copies one id per sequence to the JVM, not
	 * {@code vocab} floats (151,936 for Qwen), and the JVM scans none of them.
	 */
	@SuppressWarnings("unchecked")
	public static PassResult passPicking(List<? extends PromptSequence<?, ?>> sequences, long[] tokenIds,
			int promptTokenBudget, boolean[] argmaxOnDevice) {
		return pass((List<? extends PromptSequence<?, Object>>) sequences, tokenIds, promptTokenBudget, false,
				argmaxOnDevice);
	}

	private static <P> PassResult pass(List<? extends PromptSequence<?, P>> sequences, long[] tokenIds,
			int promptTokenBudget, boolean allLogits, boolean[] argmaxOnDevice) {
		if (sequences.isEmpty() || sequences.size() != tokenIds.length || argmaxOnDevice.length != tokenIds.length) {
			throw new IllegalArgumentException("a shared pass needs one token per sequence and at least one sequence, got "
					+ tokenIds.length + " tokens for " + sequences.size() + " sequences");
		}
		if (promptTokenBudget < 1) {
			throw new IllegalArgumentException("the prompt token budget must be at least 1, got " + promptTokenBudget);
		}
		PromptSequence<?, P> first = sequences.get(0);
		int budget = promptTokenBudget;
		int[] fed = new int[sequences.size()];
		boolean[] wantsLogits = new boolean[sequences.size()];
		List<KvCache> caches = new ArrayList<>();
		int rows = 0;
		for (int b = 0; b < sequences.size(); b++) {
			PromptSequence<?, P> sequence = sequences.get(b);
			if (sequence.model != first.model) {
				throw new IllegalArgumentException("sequences of a shared pass must belong to the same model");
			}
			int left = sequence.promptTokensLeft();
			// A prompt whose vision encode is pending cannot be fed yet: it sits this pass out.
			fed[b] = sequence.visionScope != null ? 0 : left == 0 ? 1 : Math.min(left, budget);
			budget -= left == 0 ? 0 : fed[b];
			wantsLogits[b] = fed[b] > 0 && (left == 0 || left == fed[b]);
			if (fed[b] > 0) {
				caches.add(sequence.cache);
				rows += fed[b];
			}
		}
		int[] picks = new int[sequences.size()];
		Arrays.fill(picks, -1);
		if (rows == 0) {
			return new PassResult(new float[sequences.size()][], picks);
		}
		try (NDManager scope = first.newPassScope()) {
			long[][] positions = new long[3][rows];
			NDList embeds = new NDList();
			P extras = first.newPassExtras();
			long[] logitRows = new long[rows];
			int picked = 0;
			int at = 0;
			for (int b = 0; b < sequences.size(); b++) {
				PromptSequence<?, P> sequence = sequences.get(b);
				int count = fed[b];
				if (count == 0) {
					continue;
				}
				int from = sequence.cache.length();
				if (sequence.promptTokensLeft() > 0) {
					for (int axis = 0; axis < 3; axis++) {
						System.arraycopy(sequence.prefillPositions[axis], from, positions[axis], at, count);
					}
					NDArray chunk = sequence.promptEmbeds.get("{}:{}", from, from + count);
					chunk.attach(scope);
					embeds.add(chunk);
					sequence.addPromptChunk(extras, scope, from, from + count, at);
				}
				else {
					long position = MRopePositions.decodePosition(from, sequence.ropeDelta);
					for (int axis = 0; axis < 3; axis++) {
						positions[axis][at] = position;
					}
					embeds.add(first.embedTokens(scope, new long[] { tokenIds[b] }));
				}
				at += count;
				if (wantsLogits[b]) {
					logitRows[picked++] = at - 1;
				}
			}
			NDArray input = embeds.size() == 1 ? embeds.get(0) : NDArrays.concat(embeds, 0);
			int[] rowsPerCache = Arrays.stream(fed).filter(count -> count > 0).toArray();
			NDArray hidden = first.forward(scope, input, positions, caches, rowsPerCache, extras);
			float[][] logits = new float[sequences.size()][];
			if (allLogits) {
				logits[0] = first.logits(hidden).toFloatArray();
				FiniteCheck.verify(HEAD, logits[0], first.precision());
			}
			else if (picked > 0) {
				// The head runs only on rows whose logits someone needs, not on every prompt row.
				NDArray last = picked == rows ? hidden
						: hidden.get(new NDIndex("{}", scope.create(Arrays.copyOf(logitRows, picked))));
				NDArray head = first.logits(last);
				hostOrDevicePicks(first, scope, head, wantsLogits, argmaxOnDevice, logits, picks);
			}
			for (PromptSequence<?, P> sequence : sequences) {
				if (sequence.promptEmbeds != null && sequence.promptTokensLeft() == 0) {
					sequence.finishPrompt();
				}
			}
			return new PassResult(logits, picks);
		}
	}

	/**
	 * Splits the {@code [picked, vocab]} logits of the rows that want them: argmax rows are picked on the device
	 * (after a finiteness check there, as the host rows get theirs), the other rows are copied to the JVM.
	 */
	private static void hostOrDevicePicks(PromptSequence<?, ?> first, NDManager scope, NDArray head,
			boolean[] wantsLogits, boolean[] argmaxOnDevice, float[][] logits, int[] picks) {
		List<Integer> members = new ArrayList<>();
		int devicePicks = 0;
		for (int b = 0; b < wantsLogits.length; b++) {
			if (wantsLogits[b]) {
				members.add(b);
				devicePicks += argmaxOnDevice[b] ? 1 : 0;
			}
		}
		long[] hostRows = new long[members.size() - devicePicks];
		int host = 0;
		for (int row = 0; row < members.size(); row++) {
			if (!argmaxOnDevice[members.get(row)]) {
				hostRows[host++] = row;
			}
		}
		if (devicePicks > 0) {
			FiniteCheck finite = new FiniteCheck(scope, first.precision());
			finite.record(HEAD, head);
			finite.verify();
			long[] argmax = head.argMax(1).toLongArray();
			for (int row = 0; row < members.size(); row++) {
				if (argmaxOnDevice[members.get(row)]) {
					picks[members.get(row)] = (int) argmax[row];
				}
			}
		}
		if (hostRows.length == 0) {
			return;
		}
		NDArray rows = hostRows.length == members.size() ? head
				: head.get(new NDIndex("{}", scope.create(hostRows)));
		float[] flat = rows.toFloatArray();
		FiniteCheck.verify(HEAD, flat, first.precision());
		int vocab = flat.length / hostRows.length;
		for (int i = 0; i < hostRows.length; i++) {
			logits[members.get((int) hostRows[i])] = Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
		}
	}

	/** Frees the prompt embeddings (and what the family kept beside them) once every prompt token is cached. */
	protected void finishPrompt() {
		int promptLength = prefillPositions[0].length;
		if (cache.length() != promptLength) {
			throw new IllegalStateException("the prompt of " + promptLength + " tokens is not fully cached");
		}
		promptEmbeds = null;
		if (blocks != null) {
			model.prefixCache().store(blocks.keys(inputIds, promptLength), cache);
		}
		promptCached();
		if (promptScope != null) {
			promptScope.close();
			promptScope = null;
		}
	}

	/**
	 * Offers the prefix cache the keys and values of {@code tokens} (the prompt, then what was generated after it)
	 * that this sequence holds, so the next request that repeats this exchange (an agent's next step) reuses the
	 * answer too. The last generated token was never fed, so the cache holds one token less.
	 */
	@Override
	public void retain(long[] tokens) {
		if (blocks != null && promptEmbeds == null && visionScope == null && cache.length() > 0) {
			model.prefixCache().store(blocks.keys(tokens, Math.min(tokens.length, cache.length())), cache);
		}
	}

	/** Prompt tokens whose keys and values came from the prefix cache. */
	@Override
	public int cachedPrefixTokens() {
		return cachedPrefixTokens;
	}

	/** The prompt embeddings while the prompt is being fed (null before vision ends and after it is cached). */
	protected NDArray promptEmbeds() {
		return promptEmbeds;
	}

	/** Whether this sequence was opened by {@code model} (so its cache fits that model's pass). */
	boolean belongsTo(Object model) {
		return this.model == model;
	}

	protected KvCache cache() {
		return cache;
	}

	public long ropeDelta() {
		return ropeDelta;
	}

	/** {@code [3][L]} positions of the prompt, as computed at prefill. */
	public long[][] prefillPositions() {
		return prefillPositions;
	}

	@Override
	public double visionMs() {
		return visionMs;
	}

	public int length() {
		return cache.length();
	}

	@Override
	public void close() {
		request.close();
	}

}
