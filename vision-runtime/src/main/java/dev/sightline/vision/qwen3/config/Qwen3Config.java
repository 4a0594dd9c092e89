package dev.sightline.vision.qwen3.config;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.sightline.vision.qwen.config.ConfigJson;
import dev.sightline.vision.qwen.config.HiddenAct;
import dev.sightline.vision.qwen.config.SpecialTokenIds;
import dev.sightline.vision.weights.CheckpointException;

/**
 * A Qwen3-VL {@code config.json} (QWEN3_VL spec §2): {@code text_config} and {@code vision_config} nested, rope
 * settings under {@code rope_scaling} + {@code rope_theta} (4.57) or {@code rope_parameters} (transformers 5.x).
 *
 * @param tieWordEmbeddings the head reuses {@code embed_tokens} (2B, 4B), so there is no {@code lm_head.weight}
 */
public record Qwen3Config(Qwen3TextConfig text, Qwen3VisionConfig vision, SpecialTokenIds tokens,
		boolean tieWordEmbeddings) {

	public static Qwen3Config read(Path configJson) {
		return parse(ConfigJson.read(configJson));
	}

	public static Qwen3Config parse(JsonNode root) {
		JsonNode text = root.path("text_config");
		JsonNode vision = root.path("vision_config");
		if (!text.isObject() || !vision.isObject()) {
			throw new CheckpointException("config.json: a Qwen3-VL config needs text_config and vision_config objects");
		}
		JsonNode rope = text.hasNonNull("rope_scaling") ? text.get("rope_scaling") : text.path("rope_parameters");
		double ropeTheta = text.has("rope_theta") ? text.get("rope_theta").asDouble()
				: rope.path("rope_theta").asDouble(5_000_000);
		JsonNode section = rope.path("mrope_section");
		if (!section.isArray()) {
			throw new CheckpointException("config.json: text_config rope_scaling (or rope_parameters).mrope_section "
					+ "is missing");
		}
		if (rope.has("mrope_interleaved") && !rope.get("mrope_interleaved").asBoolean()) {
			throw new CheckpointException("config.json: mrope_interleaved is false; Qwen3-VL uses the interleaved "
					+ "layout (spec §7.2)");
		}
		int[] mropeSection = new int[section.size()];
		for (int i = 0; i < mropeSection.length; i++) {
			mropeSection[i] = section.get(i).asInt();
		}
		int heads = required(text, "num_attention_heads", "text_config.");
		Qwen3TextConfig textConfig = new Qwen3TextConfig(required(text, "vocab_size", "text_config."),
				required(text, "hidden_size", "text_config."), required(text, "num_hidden_layers", "text_config."),
				heads, text.path("num_key_value_heads").asInt(heads),
				// head_dim is explicit in every published file; the class derives it only when absent.
				text.path("head_dim").asInt(required(text, "hidden_size", "text_config.") / heads),
				required(text, "intermediate_size", "text_config."), text.path("rms_norm_eps").asDouble(1e-6),
				ropeTheta, mropeSection);
		// Qwen3-VL's layers are written for these two (spec §6.4, §7.1).
		HiddenAct.require("text_config.hidden_act", text.path("hidden_act").asText("silu"), HiddenAct.SILU);
		HiddenAct.require("vision_config.hidden_act", vision.path("hidden_act").asText("gelu_pytorch_tanh"),
				HiddenAct.GELU_PYTORCH_TANH);
		JsonNode deepstack = vision.path("deepstack_visual_indexes");
		int[] deepstackIndexes = new int[deepstack.size()];
		for (int i = 0; i < deepstackIndexes.length; i++) {
			deepstackIndexes[i] = deepstack.get(i).asInt();
		}
		Qwen3VisionConfig visionConfig = new Qwen3VisionConfig(required(vision, "depth", "vision_config."),
				required(vision, "hidden_size", "vision_config."),
				required(vision, "intermediate_size", "vision_config."), required(vision, "num_heads", "vision_config."),
				vision.path("in_channels").asInt(3), required(vision, "out_hidden_size", "vision_config."),
				vision.path("patch_size").asInt(16), vision.path("spatial_merge_size").asInt(2),
				vision.path("temporal_patch_size").asInt(2), vision.path("num_position_embeddings").asInt(2304),
				deepstackIndexes);
		if (visionConfig.outHiddenSize() != textConfig.hiddenSize()) {
			throw new CheckpointException("config.json: vision_config.out_hidden_size " + visionConfig.outHiddenSize()
					+ " must equal text_config.hidden_size " + textConfig.hiddenSize());
		}
		if (deepstackIndexes.length > textConfig.numHiddenLayers()) {
			throw new CheckpointException("config.json: " + deepstackIndexes.length + " DeepStack features need at "
					+ "least as many decoder layers, got " + textConfig.numHiddenLayers());
		}
		SpecialTokenIds tokens = new SpecialTokenIds(root.path("image_token_id").asInt(151655),
				root.path("video_token_id").asInt(151656), root.path("vision_start_token_id").asInt(151652),
				root.path("vision_end_token_id").asInt(151653));
		boolean tied = root.has("tie_word_embeddings") ? root.get("tie_word_embeddings").asBoolean()
				: text.path("tie_word_embeddings").asBoolean(false);
		return new Qwen3Config(textConfig, visionConfig, tokens, tied);
	}

	private static int required(JsonNode node, String key, String prefix) {
		JsonNode value = node.get(key);
		if (value == null || !value.canConvertToInt()) {
			throw new CheckpointException("config.json: " + prefix + key + " is missing or not an integer");
		}
		return value.asInt();
	}

}
