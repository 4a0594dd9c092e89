package dev.sightline.modelserver;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.TokenLogprob;

/** The JSON bodies of OpenAI's chat completion API: whole completions, stream chunks, usage, errors, models. */
final class OpenAiResponses {

	static final ObjectMapper JSON = new ObjectMapper();

	private OpenAiResponses() {
	}

	static ObjectNode completion(String id, long created, String model, Generation generation,
			boolean withTokenIds) {
		return completion(id, created, model, List.of(generation), withTokenIds, false);
	}

	/** One choice per generation ({@code n}); usage counts the prompt once and every choice's tokens. */
	static ObjectNode completion(String id, long created, String model, List<Generation> generations,
			boolean withTokenIds, boolean withLogprobs) {
		return completion(id, created, model, generations, withTokenIds, withLogprobs, Set.of());
	}

	/** With {@code tools} offered, an answer's calls of them become {@code tool_calls}. */
	static ObjectNode completion(String id, long created, String model, List<Generation> generations,
			boolean withTokenIds, boolean withLogprobs, Set<String> tools) {
		ObjectNode root = header(id, "chat.completion", created, model);
		ArrayNode choices = root.putArray("choices");
		for (int i = 0; i < generations.size(); i++) {
			Generation generation = generations.get(i);
			ObjectNode choice = choices.addObject();
			choice.put("index", i);
			ObjectNode message = choice.putObject("message");
			message.put("role", "assistant");
			ToolCalling.Parsed parsed = tools.isEmpty() ? new ToolCalling.Parsed(generation.text(), List.of())
					: ToolCalling.parse(generation.text(), tools);
			if (parsed.calls().isEmpty()) {
				message.put("content", generation.text());
			}
			else {
				if (parsed.content().isEmpty()) {
					message.putNull("content");
				}
				else {
					message.put("content", parsed.content());
				}
				message.set("tool_calls", toolCalls(parsed.calls(), false));
			}
			if (withLogprobs) {
				choice.set("logprobs", logprobs(generation.logprobs()));
			}
			else {
				choice.putNull("logprobs");
			}
			choice.put("finish_reason",
					(parsed.calls().isEmpty() ? generation.finishReason() : FinishReason.TOOL_CALLS).wireName());
			if (withTokenIds) {
				ArrayNode ids = choice.putArray("token_ids");
				generation.tokenIds().forEach(ids::add);
			}
		}
		root.set("usage", usage(generations));
		return root;
	}

	/**
	 * OpenAI's {@code tool_calls}: {@code id}, {@code type: function}, {@code function: {name, arguments}};
	 * stream deltas carry each call's {@code index} too.
	 */
	static ArrayNode toolCalls(List<ToolCalling.Call> calls, boolean delta) {
		ArrayNode array = JSON.createArrayNode();
		for (int i = 0; i < calls.size(); i++) {
			ToolCalling.Call call = calls.get(i);
			ObjectNode entry = array.addObject();
			if (delta) {
				entry.put("index", i);
			}
			entry.put("id", call.id());
			entry.put("type", "function");
			ObjectNode function = entry.putObject("function");
			function.put("name", call.name());
			function.put("arguments", call.arguments());
		}
		return array;
	}

	/** OpenAI's {@code logprobs} object of a choice: per token its text, log-probability, UTF-8 bytes, alternatives. */
	static ObjectNode logprobs(List<TokenLogprob> tokens) {
		ObjectNode logprobs = JSON.createObjectNode();
		ArrayNode content = logprobs.putArray("content");
		for (TokenLogprob token : tokens) {
			ObjectNode entry = tokenEntry(content.addObject(), token.token(), token.logprob());
			ArrayNode top = entry.putArray("top_logprobs");
			for (TokenLogprob.Alternative alternative : token.top()) {
				tokenEntry(top.addObject(), alternative.token(), alternative.logprob());
			}
		}
		logprobs.putNull("refusal");
		return logprobs;
	}

	private static ObjectNode tokenEntry(ObjectNode entry, String token, double logprob) {
		entry.put("token", token);
		entry.put("logprob", logprob);
		ArrayNode bytes = entry.putArray("bytes");
		for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
			bytes.add(b & 0xff);
		}
		return entry;
	}

	/** A stream chunk; {@code role} only in the first, {@code finishReason} only in the last. */
	static ObjectNode chunk(String id, long created, String model, String role, String content,
			FinishReason finishReason) {
		return chunk(id, created, model, 0, role, content, finishReason);
	}

	/** A stream chunk of choice {@code index}. */
	static ObjectNode chunk(String id, long created, String model, int index, String role, String content,
			FinishReason finishReason) {
		ObjectNode root = header(id, "chat.completion.chunk", created, model);
		ObjectNode choice = root.putArray("choices").addObject();
		choice.put("index", index);
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
			choice.put("finish_reason", finishReason.wireName());
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
		return usage(List.of(generation));
	}

	/** The extra last chunk of {@code stream_options.include_usage} over all choices. */
	static ObjectNode usageChunk(String id, long created, String model, List<Generation> generations) {
		ObjectNode root = header(id, "chat.completion.chunk", created, model);
		root.putArray("choices");
		root.set("usage", usage(generations));
		return root;
	}

	/** The prompt once (the choices share it), the completion tokens of every choice. */
	static ObjectNode usage(List<Generation> generations) {
		ObjectNode usage = JSON.createObjectNode();
		Generation generation = generations.getFirst();
		int completion = generations.stream().mapToInt(g -> g.tokenIds().size()).sum();
		usage.put("prompt_tokens", generation.promptTokens());
		usage.put("completion_tokens", completion);
		usage.put("total_tokens", generation.promptTokens() + completion);
		return usage;
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
		root.putArray("data").add(model(model, created, runtime));
		return root;
	}

	/** One model object, as {@code GET /v1/models/{model}} answers it and {@code GET /v1/models} lists it. */
	static ObjectNode model(String model, long created, java.util.Optional<dev.sightline.vision.weights.RuntimeInfo> runtime) {
		ObjectNode entry = JSON.createObjectNode();
		entry.put("id", model);
		entry.put("object", "model");
		entry.put("created", created);
		entry.put("owned_by", "sightline");
		runtime.ifPresent(info -> entry.set("sightline", JSON.valueToTree(info.asMap())));
		return entry;
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
