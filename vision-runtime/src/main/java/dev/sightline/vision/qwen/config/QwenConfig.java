package dev.sightline.vision.qwen.config;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sightline.vision.weights.CheckpointException;

/**
 * A checkpoint's {@code config.json}, mapped once from either layout (spec §3.4): text keys at the top level (published
 * checkpoints) or nested under {@code text_config} (re-saved by newer transformers), plus {@code vision_config}.
 *
 * @param tieWordEmbeddings true when the output head reuses {@code embed_tokens} (3B), so no {@code lm_head.weight}
 */
public record QwenConfig(TextConfig text, VisionConfig vision, SpecialTokenIds tokens, boolean tieWordEmbeddings) {

	public static QwenConfig read(Path configJson) {
		return parse(ConfigJson.read(configJson));
	}

	public static QwenConfig parse(JsonNode root) {
		JsonNode text = root.has("text_config") ? root.get("text_config") : root;
		JsonNode vision = root.get("vision_config");
		if (vision == null || !vision.isObject()) {
			throw new CheckpointException("config.json: vision_config is missing");
		}
		JsonNode ropeScaling = text.has("rope_scaling") && !text.get("rope_scaling").isNull() ? text.get("rope_scaling")
				: text.get("rope_parameters");
		double ropeTheta = text.has("rope_theta") ? text.get("rope_theta").asDouble()
				: (text.has("rope_parameters") && text.get("rope_parameters").has("rope_theta")
						? text.get("rope_parameters").get("rope_theta").asDouble() : 1_000_000);
		if (ropeScaling == null || !ropeScaling.has("mrope_section")) {
			throw new CheckpointException("config.json: rope_scaling.mrope_section is missing (looked in "
					+ (text == root ? "the top level" : "text_config") + " rope_scaling and rope_parameters)");
		}
		JsonNode section = ropeScaling.get("mrope_section");
		int[] mropeSection = new int[section.size()];
		for (int i = 0; i < mropeSection.length; i++) {
			mropeSection[i] = section.get(i).asInt();
		}
		TextConfig textConfig = new TextConfig(required(text, "vocab_size"), required(text, "hidden_size"),
				required(text, "num_hidden_layers"), required(text, "num_attention_heads"),
				text.has("num_key_value_heads") ? text.get("num_key_value_heads").asInt()
						: required(text, "num_attention_heads"),
				required(text, "intermediate_size"), text.path("rms_norm_eps").asDouble(1e-6), ropeTheta, mropeSection,
				HiddenAct.require("hidden_act", text.path("hidden_act").asText("silu"), HiddenAct.SILU));
		int[] fullatt = new int[vision.path("fullatt_block_indexes").size()];
		for (int i = 0; i < fullatt.length; i++) {
			fullatt[i] = vision.get("fullatt_block_indexes").get(i).asInt();
		}
		int inChannels = vision.has("in_chans") ? vision.get("in_chans").asInt() : vision.path("in_channels").asInt(3);
		VisionConfig visionConfig = new VisionConfig(required(vision, "depth", "vision_config."),
				required(vision, "hidden_size", "vision_config."),
				required(vision, "intermediate_size", "vision_config."), required(vision, "num_heads", "vision_config."),
				inChannels, required(vision, "out_hidden_size", "vision_config."),
				vision.path("patch_size").asInt(vision.path("spatial_patch_size").asInt(14)),
				vision.path("spatial_merge_size").asInt(2), vision.path("temporal_patch_size").asInt(2),
				vision.path("window_size").asInt(112), fullatt, vision.path("tokens_per_second").asDouble(2),
				HiddenAct.require("vision_config.hidden_act", vision.path("hidden_act").asText("silu"), HiddenAct.SILU));
		if (visionConfig.outHiddenSize() != textConfig.hiddenSize()) {
			throw new CheckpointException("config.json: vision_config.out_hidden_size " + visionConfig.outHiddenSize()
					+ " must equal the text hidden_size " + textConfig.hiddenSize());
		}
		SpecialTokenIds tokens = new SpecialTokenIds(tokenId(root, text, "image_token_id", 151655),
				tokenId(root, text, "video_token_id", 151656), tokenId(root, text, "vision_start_token_id", 151652),
				tokenId(root, text, "vision_end_token_id", 151653));
		boolean tied = text.has("tie_word_embeddings") ? text.get("tie_word_embeddings").asBoolean()
				: root.path("tie_word_embeddings").asBoolean(false);
		return new QwenConfig(textConfig, visionConfig, tokens, tied);
	}

	private static int required(JsonNode node, String key) {
		return required(node, key, "");
	}

	private static int required(JsonNode node, String key, String prefix) {
		JsonNode value = node.get(key);
		if (value == null || !value.canConvertToInt()) {
			throw new CheckpointException("config.json: " + prefix + key + " is missing or not an integer");
		}
		return value.asInt();
	}

	private static int tokenId(JsonNode root, JsonNode text, String key, int fallback) {
		if (root.has(key)) {
			return root.get(key).asInt();
		}
		return text.path(key).asInt(fallback);
	}

}
