package dev.sightline.vision.prefix;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The block keys of a token sequence: block i covers tokens {@code [i * B, (i + 1) * B)} and its key hashes the
 * previous key and those tokens. A text token contributes its id; an image or video placeholder contributes its
 * item's {@link VisionDigest} and its offset inside the item, since every placeholder has the same id but stands
 * for different features (and M-RoPE positions, which depend on the grid the digest covers). Only whole blocks get
 * keys: a partial block at the end is never shared.
 */
public final class PromptBlocks {

	private final int blockTokens;

	private final int imageTokenId;

	private final int videoTokenId;

	private final List<VisionDigest> images;

	private final List<VisionDigest> videos;

	private final List<Integer> imageTokens;

	private final List<Integer> videoTokens;

	private final List<BlockKey> keys = new ArrayList<>();

	// Where hashing stopped: the next token's placeholder counters.
	private int imageItem;

	private int imageOffset;

	private int videoItem;

	private int videoOffset;

	/**
	 * @param imageTokens placeholder tokens of each image, in prompt order (their digests in {@code images})
	 * @param videoTokens placeholder tokens of each video, in prompt order
	 */
	public PromptBlocks(int blockTokens, int imageTokenId, int videoTokenId, List<VisionDigest> images,
			List<Integer> imageTokens, List<VisionDigest> videos, List<Integer> videoTokens) {
		if (blockTokens < 1) {
			throw new IllegalArgumentException("a block holds at least 1 token, got " + blockTokens);
		}
		if (images.size() != imageTokens.size() || videos.size() != videoTokens.size()) {
			throw new IllegalArgumentException("one token count per vision digest: " + images.size() + " images with "
					+ imageTokens.size() + " counts, " + videos.size() + " videos with " + videoTokens.size());
		}
		this.blockTokens = blockTokens;
		this.imageTokenId = imageTokenId;
		this.videoTokenId = videoTokenId;
		this.images = List.copyOf(images);
		this.imageTokens = List.copyOf(imageTokens);
		this.videos = List.copyOf(videos);
		this.videoTokens = List.copyOf(videoTokens);
	}

	public int blockTokens() {
		return blockTokens;
	}

	/**
	 * Keys of the whole blocks among the first {@code count} of {@code ids} (a prefix of the same sequence on every
	 * call: the prompt, then the prompt and its generated tokens); blocks hashed before are not hashed again.
	 */
	public List<BlockKey> keys(long[] ids, int count) {
		MessageDigest sha = VisionDigest.sha256();
		ByteBuffer token = ByteBuffer.allocate(1 + 32 + 4);
		while ((keys.size() + 1) * blockTokens <= count) {
			int from = keys.size() * blockTokens;
			if (!keys.isEmpty()) {
				ByteBuffer previous = ByteBuffer.allocate(32);
				keys.getLast().writeTo(previous);
				sha.update(previous.array());
			}
			for (int i = from; i < from + blockTokens; i++) {
				token.clear();
				if (ids[i] == imageTokenId && imageItem < images.size()) {
					token.put((byte) 1);
					images.get(imageItem).value().writeTo(token);
					token.putInt(imageOffset);
					if (++imageOffset == imageTokens.get(imageItem)) {
						imageItem++;
						imageOffset = 0;
					}
				}
				else if (ids[i] == videoTokenId && videoItem < videos.size()) {
					token.put((byte) 2);
					videos.get(videoItem).value().writeTo(token);
					token.putInt(videoOffset);
					if (++videoOffset == videoTokens.get(videoItem)) {
						videoItem++;
						videoOffset = 0;
					}
				}
				else {
					token.put((byte) 0).putLong(ids[i]);
				}
				sha.update(token.array(), 0, token.position());
			}
			keys.add(BlockKey.of(sha.digest()));
		}
		return List.copyOf(keys.subList(0, Math.min(keys.size(), count / blockTokens)));
	}

}
