package dev.sightline.modelserver;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import tools.jackson.databind.JsonNode;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.OutputControls;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.constrain.JsonGrammar;
import dev.sightline.vision.constrain.UnsupportedSchemaException;
import dev.sightline.net.HostResolver;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * Reads an OpenAI chat completion body into a {@link ChatRequest}, checking every field; each refusal names the
 * field ({@code param}) and the limit. Sampling defaults to greedy when {@code temperature} is absent, as the
 * published Qwen2.5-VL generation config effectively is (top_k 1).
 */
final class ChatRequestParser {

	static final int MAX_STOP_STRINGS = 16;

	static final double DEFAULT_FPS = 2.0;

	/** Most choices one request may ask for ({@code n}): each is a sequence of its own in the batch. */
	static final int MAX_CHOICES = 8;

	private final String servedModelName;

	private final ServerOptions options;

	private final ImageSource images;

	/**
	 * The largest {@code min_pixels}/{@code max_pixels} a request may ask for: the published Qwen2.5-VL maximum
	 * (16,384 visual tokens). Beyond it one small image could demand an enormous sequence.
	 */
	static final long MAX_REQUEST_PIXELS = PixelBudget.PUBLISHED.maxPixels();

	ChatRequestParser(String servedModelName, ServerOptions options) {
		this(servedModelName, options, HostResolver.system());
	}

	ChatRequestParser(String servedModelName, ServerOptions options, HostResolver resolver) {
		this.servedModelName = servedModelName;
		this.options = options;
		this.images = new ImageSource(options.allowRemoteImages(), options.imageHosts(), options.maxRequestBytes(),
				resolver);
	}

	ChatRequest parse(JsonNode body) {
		if (!body.isObject()) {
			throw ApiException.invalid(null, "the request body must be a JSON object");
		}
		JsonNode model = body.path("model");
		if (!model.isMissingNode() && !model.isNull() && !model.asString().equals(servedModelName)) {
			throw ApiException.modelNotFound(model.asString(), servedModelName);
		}
		int n = intField(body, "n", 1);
		if (n < 1 || n > MAX_CHOICES) {
			throw ApiException.invalid("n", "n must be within [1, " + MAX_CHOICES + "], got " + n);
		}
		List<JsonNode> tools = tools(body.path("tools"));
		ToolChoice choice = toolChoice(body.path("tool_choice"), tools);
		// tool_choice "none": the tools are not shown and nothing is read back as a call.
		List<JsonNode> offered = choice.offered() ? tools : List.of();
		Conversation conversation = VideoFrameGroups.apply(conversation(body.path("messages"), offered),
				body.path(VideoFrameGroups.FIELD));
		Set<String> toolNames = new LinkedHashSet<>();
		offered.forEach(tool -> toolNames.add(tool.at("/function/name").asText()));
		boolean stream = booleanField(body, "stream", false);
		boolean includeUsage = booleanField(body.path("stream_options"), "include_usage", false);
		OutputControls controls = controls(body);
		if (!choice.forced().isEmpty()) {
			if (controls.format().isPresent()) {
				throw ApiException.invalid("response_format", "response_format cannot be combined with tool_choice "
						+ "required or a named function: the answer is then a function call");
			}
			controls = controls.withFormat(forcedCall(tools, choice.forced()));
		}
		GenerationOptions options = generationOptions(body).withControls(controls);
		return new ChatRequest(conversation, options, stream, includeUsage,
				booleanField(body, "return_token_ids", false), n, toolNames);
	}

	private GenerationOptions generationOptions(JsonNode body) {
		int maxTokens = intField(body, "max_completion_tokens", intField(body, "max_tokens", options.maxNewTokens()));
		if (maxTokens < 1 || maxTokens > options.maxNewTokens()) {
			throw ApiException.invalid(body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens",
					"max_tokens must be within [1, " + options.maxNewTokens() + "] (--max-new-tokens), got "
							+ maxTokens);
		}
		double temperature = doubleField(body, "temperature", 0);
		if (!(temperature >= 0 && temperature <= 2)) {
			throw ApiException.invalid("temperature", "temperature must be within [0, 2], got " + temperature);
		}
		double topP = doubleField(body, "top_p", 1);
		if (!(topP > 0 && topP <= 1)) {
			throw ApiException.invalid("top_p", "top_p must be within (0, 1], got " + topP);
		}
		int topK = intField(body, "top_k", 0);
		if (topK < -1) {
			throw ApiException.invalid("top_k", "top_k must be -1 or 0 (off) or a positive count, got " + topK);
		}
		double repetitionPenalty = doubleField(body, "repetition_penalty", 1);
		if (!(repetitionPenalty > 0 && repetitionPenalty <= 10)) {
			throw ApiException.invalid("repetition_penalty",
					"repetition_penalty must be within (0, 10], got " + repetitionPenalty);
		}
		OptionalLong seed = OptionalLong.empty();
		JsonNode seedNode = body.path("seed");
		if (!seedNode.isMissingNode() && !seedNode.isNull()) {
			if (!seedNode.canConvertToLong() || !seedNode.isIntegralNumber()) {
				throw ApiException.invalid("seed", "seed must be an integer, got " + seedNode);
			}
			seed = OptionalLong.of(seedNode.asLong());
		}
		return new GenerationOptions(maxTokens, temperature, topP, Math.max(0, topK), repetitionPenalty, seed,
				stops(body.path("stop")));
	}

	/** Penalties, log-probabilities and the answer's format (OpenAI's fields beside the sampling settings). */
	private static OutputControls controls(JsonNode body) {
		double frequency = penalty(body, "frequency_penalty");
		double presence = penalty(body, "presence_penalty");
		boolean logprobs = booleanField(body, "logprobs", false);
		OptionalInt top = OptionalInt.empty();
		if (body.has("top_logprobs") && !body.get("top_logprobs").isNull()) {
			int value = intField(body, "top_logprobs", 0);
			if (!logprobs) {
				throw ApiException.invalid("top_logprobs", "top_logprobs needs logprobs: true");
			}
			if (value < 0 || value > OutputControls.MAX_TOP_LOGPROBS) {
				throw ApiException.invalid("top_logprobs", "top_logprobs must be within [0, "
						+ OutputControls.MAX_TOP_LOGPROBS + "], got " + value);
			}
			top = OptionalInt.of(value);
		}
		else if (logprobs) {
			top = OptionalInt.of(0);
		}
		return new OutputControls(frequency, presence, top, responseFormat(body.path("response_format")));
	}

	private static double penalty(JsonNode body, String field) {
		double value = doubleField(body, field, 0);
		if (!(value >= -OutputControls.MAX_PENALTY && value <= OutputControls.MAX_PENALTY)) {
			throw ApiException.invalid(field, field + " must be within [-2, 2], got " + value);
		}
		return value;
	}

	/**
	 * {@code response_format}: {@code text} (default), {@code json_object}, or {@code json_schema} with
	 * {@code json_schema.schema}; the JSON ones are enforced by constrained decoding, so a schema the grammar
	 * cannot enforce is refused rather than accepted and ignored.
	 */
	static Optional<JsonGrammar> responseFormat(JsonNode format) {
		if (format.isMissingNode() || format.isNull()) {
			return Optional.empty();
		}
		String type = format.path("type").asText("");
		return switch (type) {
			case "text" -> Optional.empty();
			case "json_object" -> Optional.of(JsonGrammar.anyObject());
			case "json_schema" -> {
				JsonNode schema = format.path("json_schema").path("schema");
				if (!schema.isObject()) {
					throw ApiException.invalid("response_format.json_schema.schema",
							"json_schema needs a schema object in response_format.json_schema.schema");
				}
				try {
					yield Optional.of(JsonGrammar.fromSchema(schema.toString()));
				}
				catch (UnsupportedSchemaException e) {
					throw new ApiException(400, "invalid_request_error", "response_format.json_schema.schema",
							"unsupported_schema", "this schema cannot be enforced: " + e.getMessage());
				}
			}
			default -> throw ApiException.invalid("response_format.type",
					"response_format.type must be text, json_object or json_schema, got '" + type + "'");
		};
	}

	private static List<String> stops(JsonNode stop) {
		if (stop.isMissingNode() || stop.isNull()) {
			return List.of();
		}
		if (stop.isString()) {
			return stop.asString().isEmpty() ? List.of() : List.of(stop.asString());
		}
		if (!stop.isArray()) {
			throw ApiException.invalid("stop", "stop must be a string or an array of strings");
		}
		if (stop.size() > MAX_STOP_STRINGS) {
			throw ApiException.invalid("stop", "at most " + MAX_STOP_STRINGS + " stop strings, got " + stop.size());
		}
		List<String> result = new ArrayList<>();
		for (JsonNode s : stop) {
			if (!s.isString() || s.asString().isEmpty()) {
				throw ApiException.invalid("stop", "every stop entry must be a non-empty string, got " + s);
			}
			result.add(s.asString());
		}
		return result;
	}

	/**
	 * The messages; with tools offered, the tools block joins the system text (a default system message is added
	 * when there is none), {@code tool} results become {@code <tool_response>} blocks of one user turn per run of
	 * them, and an assistant's {@code tool_calls} are written back as the model writes calls (spec §9.3).
	 */
	private Conversation conversation(JsonNode messages, List<JsonNode> tools) {
		if (!messages.isArray() || messages.isEmpty()) {
			throw ApiException.invalid("messages", "messages must be a non-empty array");
		}
		int[] images = { 0 };
		List<Message> result = new ArrayList<>();
		boolean afterToolResult = false;
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			String param = "messages[" + i + "]";
			String role = message.path("role").asText("");
			if (role.equals("tool")) {
				String response = ToolCalling.toolResponse(text(message.path("content"), param + ".content"));
				if (afterToolResult) {
					Message previous = result.removeLast();
					result.add(new Message(Role.USER, List.of(new TextPart(text(previous) + "\n" + response))));
				}
				else {
					result.add(new Message(Role.USER, List.of(new TextPart(response))));
				}
				afterToolResult = true;
				continue;
			}
			afterToolResult = false;
			Message parsed = message(message, param, images);
			JsonNode calls = message.path("tool_calls");
			if (role.equals("assistant") && calls.isArray() && !calls.isEmpty()) {
				parsed = new Message(Role.ASSISTANT,
						List.of(new TextPart(ToolCalling.assistantTurn(text(parsed), calls, param))));
			}
			result.add(parsed);
		}
		if (!tools.isEmpty()) {
			if (result.getFirst().role() == Role.SYSTEM) {
				Message system = result.removeFirst();
				result.addFirst(Message.system(ToolCalling.systemWithTools(text(system), tools)));
			}
			else {
				result.addFirst(Message.system(ToolCalling.systemWithTools(ToolCalling.DEFAULT_SYSTEM, tools)));
			}
		}
		return new Conversation(result);
	}

	/** The text parts of a message, concatenated as the template does. */
	private static String text(Message message) {
		StringBuilder text = new StringBuilder();
		for (Part part : message.parts()) {
			if (part instanceof TextPart t) {
				text.append(t.text());
			}
		}
		return text.toString();
	}

	/** A tool message's content: a string, or text parts. */
	private static String text(JsonNode content, String param) {
		if (content.isTextual()) {
			return content.asText();
		}
		if (content.isArray()) {
			StringBuilder text = new StringBuilder();
			for (JsonNode part : content) {
				text.append(part.path("text").asText(""));
			}
			return text.toString();
		}
		throw ApiException.invalid(param, "a tool message's content must be a string or text parts");
	}

	static final int MAX_TOOLS = 64;

	private static final java.util.regex.Pattern TOOL_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9_.-]{1,64}");

	/** The offered function tools, checked: {@code {"type": "function", "function": {"name", ...}}}. */
	private static List<JsonNode> tools(JsonNode tools) {
		if (tools.isMissingNode() || tools.isNull()) {
			return List.of();
		}
		if (!tools.isArray() || tools.size() > MAX_TOOLS) {
			throw ApiException.invalid("tools", "tools must be an array of at most " + MAX_TOOLS + " function tools");
		}
		List<JsonNode> result = new ArrayList<>();
		Set<String> names = new java.util.HashSet<>();
		for (int i = 0; i < tools.size(); i++) {
			JsonNode tool = tools.get(i);
			String param = "tools[" + i + "]";
			if (!tool.path("type").asText("").equals("function")) {
				throw ApiException.invalid(param + ".type", "only function tools are supported, got "
						+ tool.path("type"));
			}
			String name = tool.at("/function/name").asText("");
			if (!TOOL_NAME.matcher(name).matches()) {
				throw ApiException.invalid(param + ".function.name",
						"a function name is 1 to 64 letters, digits, '_', '.' or '-', got '" + name + "'");
			}
			if (!names.add(name)) {
				throw ApiException.invalid(param + ".function.name", "two tools are named '" + name + "'");
			}
			JsonNode parameters = tool.at("/function/parameters");
			if (!parameters.isMissingNode() && !parameters.isObject()) {
				throw ApiException.invalid(param + ".function.parameters", "parameters must be a JSON Schema object");
			}
			result.add(tool);
		}
		return result;
	}

	/**
	 * What {@code tool_choice} asks.
	 * @param offered whether the tools are shown to the model and its calls read back
	 * @param forced the functions the answer must call one of (empty: the model may answer in text)
	 */
	private record ToolChoice(boolean offered, Set<String> forced) {
	}

	/**
	 * {@code auto} (the default) offers the tools, {@code none} does not; {@code required} and a named function
	 * ({@code {"type": "function", "function": {"name": ...}}}) force a call, as vLLM does: by constrained decoding
	 * into one {@code <tool_call>} of an allowed function whose arguments follow its parameters schema.
	 */
	private static ToolChoice toolChoice(JsonNode choice, List<JsonNode> tools) {
		if (choice.isMissingNode() || choice.isNull()) {
			return new ToolChoice(true, Set.of());
		}
		String value = choice.isTextual() ? choice.asText() : choice.isObject() ? "function" : "";
		Set<String> names = new LinkedHashSet<>();
		tools.forEach(tool -> names.add(tool.at("/function/name").asText()));
		return switch (value) {
			case "auto" -> new ToolChoice(true, Set.of());
			case "none" -> new ToolChoice(false, Set.of());
			case "required" -> {
				if (tools.isEmpty()) {
					throw ApiException.invalid("tool_choice", "tool_choice 'required' needs at least one tool in tools");
				}
				yield new ToolChoice(true, names);
			}
			case "function" -> {
				if (!choice.path("type").asText("").equals("function")) {
					throw ApiException.invalid("tool_choice.type",
							"a named tool_choice is {\"type\": \"function\", \"function\": {\"name\": ...}}, got type "
									+ choice.path("type"));
				}
				String name = choice.at("/function/name").asText("");
				if (!names.contains(name)) {
					throw ApiException.invalid("tool_choice.function.name", "tool_choice names the function '" + name
							+ "', which is not among the tools (" + String.join(", ", names) + ")");
				}
				yield new ToolChoice(true, Set.of(name));
			}
			default -> throw ApiException.invalid("tool_choice",
					"tool_choice must be none, auto, required or a function, got " + choice);
		};
	}

	/**
	 * The grammar of one call of a {@code forced} function, in the wrapper the model writes calls in; a parameters
	 * schema the grammar cannot enforce is refused, naming the function.
	 */
	private static JsonGrammar forcedCall(List<JsonNode> tools, Set<String> forced) {
		java.util.LinkedHashMap<String, String> parameters = new java.util.LinkedHashMap<>();
		for (JsonNode tool : tools) {
			String name = tool.at("/function/name").asText();
			if (forced.contains(name)) {
				JsonNode schema = tool.at("/function/parameters");
				parameters.put(name, schema.isObject() ? schema.toString() : null);
			}
		}
		try {
			return JsonGrammar.functionCall(ToolCalling.OPEN + "\n", parameters, "\n" + ToolCalling.CLOSE);
		}
		catch (UnsupportedSchemaException e) {
			throw new ApiException(400, "invalid_request_error", "tools", "unsupported_schema",
					"tool_choice forces a call, but this parameters schema cannot be enforced: " + e.getMessage());
		}
	}

	private Message message(JsonNode message, String param, int[] images) {
		String roleName = message.path("role").asString("");
		Role role = switch (roleName) {
			case "system", "developer" -> Role.SYSTEM;
			case "user" -> Role.USER;
			case "assistant" -> Role.ASSISTANT;
			default -> throw ApiException.invalid(param + ".role", "role must be system, developer, user, "
					+ "assistant or tool, got '" + roleName + "'");
		};
		JsonNode content = message.path("content");
		List<Part> parts = new ArrayList<>();
		if (content.isString()) {
			parts.add(new TextPart(content.asString()));
		}
		else if (content.isArray()) {
			for (int j = 0; j < content.size(); j++) {
				parts.add(part(content.get(j), role, param + ".content[" + j + "]", images));
			}
		}
		else if (!(role == Role.ASSISTANT && (content.isNull() || content.isMissingNode()))) {
			throw ApiException.invalid(param + ".content", "content must be a string or an array of parts");
		}
		return new Message(role, parts);
	}

	private Part part(JsonNode part, Role role, String param, int[] images) {
		String type = part.path("type").asString("");
		return switch (type) {
			case "text" -> new TextPart(part.path("text").asString(""));
			case "image_url" -> {
				requireUser(role, param);
				countImages(images, 1, param);
				JsonNode image = part.path("image_url");
				String url = image.isString() ? image.asString() : image.path("url").asString("");
				yield new ImagePart(this.images.load(url, param + ".image_url"), budget(image, param));
			}
			case "video" -> {
				requireUser(role, param);
				yield video(part, param, images);
			}
			default -> throw ApiException.invalid(param + ".type", "part type must be text, image_url or video, got '"
					+ type + "'");
		};
	}

	private VideoPart video(JsonNode part, String param, int[] images) {
		JsonNode frames = part.path("video");
		if (!frames.isArray() || frames.isEmpty()) {
			throw ApiException.invalid(param + ".video",
					"video must be a non-empty array of frame image URLs (video files are not decoded here)");
		}
		countImages(images, frames.size(), param);
		double fps = doubleField(part, "fps", DEFAULT_FPS);
		if (!(fps > 0 && fps <= 120)) {
			throw ApiException.invalid(param + ".fps", "fps must be within (0, 120], got " + fps);
		}
		List<TimedFrame> timed = new ArrayList<>();
		for (int k = 0; k < frames.size(); k++) {
			JsonNode frame = frames.get(k);
			String url = frame.isString() ? frame.asString() : frame.path("url").asString("");
			timed.add(new TimedFrame(this.images.load(url, param + ".video[" + k + "]"), k / fps));
		}
		return new VideoPart(timed);
	}

	private void countImages(int[] images, int added, String param) {
		images[0] += added;
		if (images[0] > options.maxImages()) {
			throw new ApiException(400, "invalid_request_error", param, "too_many_images",
					"the request has more than " + options.maxImages()
							+ " images and video frames in all (--max-images)");
		}
	}

	private static void requireUser(Role role, String param) {
		if (role != Role.USER) {
			throw ApiException.invalid(param, "images and videos are accepted in user messages only, not in "
					+ role.templateName() + " messages");
		}
	}

	private static Optional<PixelBudget> budget(JsonNode image, String param) {
		if (!image.has("min_pixels") && !image.has("max_pixels")) {
			return Optional.empty();
		}
		for (String field : List.of("min_pixels", "max_pixels")) {
			if (image.has(field) && (!image.get(field).canConvertToLong()
					|| image.get(field).asLong() > MAX_REQUEST_PIXELS)) {
				throw ApiException.invalid(param + ".image_url." + field, field + " " + image.get(field)
						+ " exceeds this server's limit of " + MAX_REQUEST_PIXELS + " pixels (16384 visual tokens)");
			}
		}
		try {
			return Optional.of(new PixelBudget(image.path("min_pixels").asLong(PixelBudget.PUBLISHED.minPixels()),
					image.path("max_pixels").asLong(PixelBudget.PUBLISHED.maxPixels())));
		}
		catch (IllegalArgumentException e) {
			throw ApiException.invalid(param + ".image_url", e.getMessage());
		}
	}

	private static int intField(JsonNode body, String field, int fallback) {
		JsonNode node = body.path(field);
		if (node.isMissingNode() || node.isNull()) {
			return fallback;
		}
		if (!node.isIntegralNumber() || !node.canConvertToInt()) {
			throw ApiException.invalid(field, field + " must be an integer, got " + node);
		}
		return node.asInt();
	}

	private static double doubleField(JsonNode body, String field, double fallback) {
		JsonNode node = body.path(field);
		if (node.isMissingNode() || node.isNull()) {
			return fallback;
		}
		if (!node.isNumber()) {
			throw ApiException.invalid(field, field + " must be a number, got " + node);
		}
		return node.asDouble();
	}

	private static boolean booleanField(JsonNode body, String field, boolean fallback) {
		JsonNode node = body.path(field);
		if (node.isMissingNode() || node.isNull()) {
			return fallback;
		}
		if (!node.isBoolean()) {
			throw ApiException.invalid(field, field + " must be true or false, got " + node);
		}
		return node.asBoolean();
	}
}
