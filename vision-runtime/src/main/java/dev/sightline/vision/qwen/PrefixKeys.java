package dev.sightline.vision.qwen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.prefix.PrefixCache;
import dev.sightline.vision.prefix.PromptBlocks;
import dev.sightline.vision.prefix.VisionDigest;
import dev.sightline.vision.qwen.config.SpecialTokenIds;

/**
 * A prompt's side of the prefix cache, the same for both families: its block keys (images and videos keyed by
 * their patches and grid) and, once a prefix is restored, the inputs that still need the vision tower.
 */
final class PrefixKeys {

	/** What is left to encode and embed after a cached prefix. */
	record Uncached(ModelInputs inputs, long[] embedIds) {
	}

	private PrefixKeys() {
	}

	/** @param imageDigests the images' digests when the caller knows them (in order), else null to hash them here */
	static PromptBlocks blocks(ModelInputs inputs, SpecialTokenIds tokens, int mergeSize,
			List<VisionDigest> imageDigests) {
		List<VisionDigest> images = imageDigests != null ? imageDigests
				: digests(inputs.pixelValues(), inputs.imageGrids(), null);
		List<VisionDigest> videos = digests(inputs.pixelValuesVideos(), inputs.videoGrids(), inputs.secondPerGridTs());
		return new PromptBlocks(PrefixCache.BLOCK_TOKENS, tokens.imageTokenId(), tokens.videoTokenId(), images,
				tokenCounts(inputs.imageGrids(), mergeSize), videos, tokenCounts(inputs.videoGrids(), mergeSize));
	}

	/**
	 * The inputs without the images whose placeholders all lie in the first {@code cachedTokens} positions, and the
	 * prompt ids to embed with those placeholders blanked: the embeddings of cached positions are never fed, and
	 * blanking them keeps the families' pad-count checks and splicing as they are.
	 */
	static Uncached withoutCachedImages(ModelInputs inputs, SpecialTokenIds tokens, int mergeSize, int cachedTokens) {
		long[] ids = inputs.inputIds();
		List<GridThw> grids = inputs.imageGrids();
		if (grids.isEmpty()) {
			return new Uncached(inputs, ids);
		}
		List<Integer> counts = tokenCounts(grids, mergeSize);
		int rowWidth = rowWidth(inputs.pixelValues(), grids);
		long[] embedIds = ids.clone();
		List<GridThw> keptGrids = new ArrayList<>();
		List<float[]> keptPixels = new ArrayList<>();
		int image = 0;
		int seen = 0;
		int pixelsFrom = 0;
		List<Integer> pads = new ArrayList<>();
		for (int i = 0; i < ids.length && image < grids.size(); i++) {
			if (ids[i] != tokens.imageTokenId()) {
				continue;
			}
			pads.add(i);
			if (++seen < counts.get(image)) {
				continue;
			}
			int floats = grids.get(image).patches() * rowWidth;
			if (i < cachedTokens) {
				// Wholly cached: its features would only be spliced over embeddings nobody feeds.
				for (int pad : pads) {
					embedIds[pad] = tokens.visionStartTokenId();
				}
			}
			else {
				keptGrids.add(grids.get(image));
				keptPixels.add(Arrays.copyOfRange(inputs.pixelValues(), pixelsFrom, pixelsFrom + floats));
			}
			pixelsFrom += floats;
			pads.clear();
			seen = 0;
			image++;
		}
		if (keptGrids.size() == grids.size()) {
			return new Uncached(inputs, ids);
		}
		float[] pixels = new float[keptPixels.stream().mapToInt(p -> p.length).sum()];
		int at = 0;
		for (float[] part : keptPixels) {
			System.arraycopy(part, 0, pixels, at, part.length);
			at += part.length;
		}
		return new Uncached(new ModelInputs(ids, pixels, keptGrids, inputs.pixelValuesVideos(), inputs.videoGrids(),
				inputs.secondPerGridTs()), embedIds);
	}

	/** Each image's digest, in order. */
	static List<VisionDigest> imageDigests(ModelInputs inputs) {
		return digests(inputs.pixelValues(), inputs.imageGrids(), null);
	}

	/**
	 * {@code inputs} without the images marked in {@code drop} (their pixels and grids): those images' features come
	 * from elsewhere, so only the others go to the vision tower. The prompt ids stay as they are.
	 */
	static ModelInputs withoutImages(ModelInputs inputs, boolean[] drop) {
		List<GridThw> grids = inputs.imageGrids();
		int rowWidth = rowWidth(inputs.pixelValues(), grids);
		List<GridThw> keptGrids = new ArrayList<>();
		float[] pixels = new float[inputs.pixelValues().length];
		int from = 0;
		int at = 0;
		for (int i = 0; i < grids.size(); i++) {
			int floats = grids.get(i).patches() * rowWidth;
			if (!drop[i]) {
				keptGrids.add(grids.get(i));
				System.arraycopy(inputs.pixelValues(), from, pixels, at, floats);
				at += floats;
			}
			from += floats;
		}
		return new ModelInputs(inputs.inputIds(), Arrays.copyOf(pixels, at), keptGrids, inputs.pixelValuesVideos(),
				inputs.videoGrids(), inputs.secondPerGridTs());
	}

	private static List<VisionDigest> digests(float[] pixels, List<GridThw> grids, float[] secondsPerGrid) {
		List<VisionDigest> digests = new ArrayList<>(grids.size());
		int rowWidth = rowWidth(pixels, grids);
		int from = 0;
		for (int i = 0; i < grids.size(); i++) {
			int floats = grids.get(i).patches() * rowWidth;
			float seconds = secondsPerGrid == null ? 0 : secondsPerGrid[i];
			digests.add(VisionDigest.of(pixels, from, floats, grids.get(i), seconds));
			from += floats;
		}
		return digests;
	}

	private static int rowWidth(float[] pixels, List<GridThw> grids) {
		int patches = grids.stream().mapToInt(GridThw::patches).sum();
		return patches == 0 ? 0 : pixels.length / patches;
	}

	private static List<Integer> tokenCounts(List<GridThw> grids, int mergeSize) {
		return grids.stream().map(grid -> grid.tokens(mergeSize)).toList();
	}

}
