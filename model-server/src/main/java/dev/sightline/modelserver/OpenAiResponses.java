package dev.sightline.modelserver;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.sightline.vision.chat.Generation;

/** The JSON bodies of OpenAI's chat completion API: whole completions, stream chunks, usage, errors, models. */
final class OpenAiResponses {

	static final ObjectMapper JSON = new ObjectMapper();

	private OpenAiResponses() {
	}

	static ObjectNode completion(String id, long created, String model, Generation generation,
			boolean withTokenIds) {
		ObjectNode root = header(id, "chat.completion", created, model);
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode message = choice.putObject("message");
		message.put("role", "assistant");
		message.put("content", generation.text());
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason(generation));
		if (withTokenIds) {
			ArrayNode ids = choice.putArray("token_ids");
			generation.tokenIds().forEach(ids::add);
		}
		root.set("usage", usage(generation));
		return root;
	}

	/** A stream chunk; {@code role} only in the first, {@code finishReason} only in the last. */
	static ObjectNode chunk(String id, long created, String model, String role, String content, String finishReason) {
		ObjectNode root = header(id, "chat.completion.chunk", created, model);
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", 0);
		ObjectNode delta = choice.putObject("delta");
		if (role != null) {
			delta.put("role", role);
		}
		if (content != null) {
			delta.put("content", content);
		}
		choice.putNull("logprobs");
		if (finishReason == null) {
			choice.putNull("finish_reason");
		}
		else {
			choice.put("finish_reason", finishReason);
		}
		return root;
	}

	/** The extra last chunk of {@code stream_options.include_usage}: no choices, just usage. */
	static ObjectNode usageChunk(String id, long created, String model, Generation generation) {
		ObjectNode root = header(id, "chat.completion.chunk", created, model);
		root.putArray("choices");
		root.set("usage", usage(generation));
		return root;
	}

	static ObjectNode usage(Generation generation) {
		ObjectNode usage = JSON.createObjectNode();
		int completion = generation.tokenIds().size();
		usage.put("prompt_tokens", generation.promptTokens());
		usage.put("completion_tokens", completion);
		usage.put("total_tokens", generation.promptTokens() + completion);
		return usage;
	}

	static String finishReason(Generation generation) {
		return generation.finishReason().equals("length") ? "length" : "stop";
	}

	static ObjectNode error(ApiException e) {
		ObjectNode root = JSON.createObjectNode();
		ObjectNode error = root.putObject("error");
		error.put("message", e.getMessage());
		error.put("type", e.type());
		error.put("param", e.param());
		error.put("code", e.code());
		return root;
	}

	/** The served model; {@code sightline} adds what it runs on (engine, natives, device, dtypes per part). */
	static ObjectNode models(String model, long created, java.util.Optional<dev.sightline.vision.weights.RuntimeInfo> runtime) {
		ObjectNode root = JSON.createObjectNode();
		root.put("object", "list");
		ArrayNode data = root.putArray("data");
		ObjectNode entry = data.addObject();
		entry.put("id", model);
		entry.put("object", "model");
		entry.put("created", created);
		entry.put("owned_by", "sightline");
		runtime.ifPresent(info -> entry.set("sightline", JSON.valueToTree(info.asMap())));
		return root;
	}

	private static ObjectNode header(String id, String object, long created, String model) {
		ObjectNode root = JSON.createObjectNode();
		root.put("id", id);
		root.put("object", object);
		root.put("created", created);
		root.put("model", model);
		return root;
	}

}
