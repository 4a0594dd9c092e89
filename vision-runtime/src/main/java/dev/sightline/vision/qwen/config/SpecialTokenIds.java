package dev.sightline.vision.qwen.config;

/** Ids of the vision placeholder tokens the model splices its image and video features into (spec §2.2). */
public record SpecialTokenIds(int imageTokenId, int videoTokenId, int visionStartTokenId, int visionEndTokenId) {

}
