package dev.sightline.vision.constrain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The grammar of the JSON a constrained decode may produce: any JSON object ({@code response_format: json_object}),
 * or the values a JSON Schema describes ({@code json_schema}), compiled once per request. Output is compact (no
 * whitespace between tokens) and an object's properties come in the schema's order with no others, as OpenAI's
 * strict structured outputs do; that keeps the grammar deterministic character by character, which is what lets
 * {@link JsonRecognizer} check a token by feeding its text.
 * <p>
 * Supported keywords: {@code type} (one of object, array, string, number, integer, boolean, null),
 * {@code properties}, {@code required}, {@code additionalProperties} (absent or false), {@code items},
 * {@code minItems}, {@code maxItems}, {@code minLength}, {@code maxLength}, {@code enum} and {@code const} (scalars);
 * annotations ({@code title}, {@code description}, {@code $schema}, {@code $id}, {@code $comment}, {@code default},
 * {@code examples}) are ignored. Anything else (anyOf, $ref, pattern, minimum, ...) is refused with
 * {@link UnsupportedSchemaException} naming the keyword and where it is, rather than silently not enforced.
 */
public final class JsonGrammar {

	/** Deepest nesting of schemas accepted. */
	public static final int MAX_DEPTH = 16;

	/** Most schema nodes (every property, item and value schema counts) accepted. */
	public static final int MAX_NODES = 512;

	/** Most properties of one object schema and values of one enum. */
	public static final int MAX_MEMBERS = 128;

	private static final Set<String> ANNOTATIONS = Set.of("title", "description", "$schema", "$id", "$comment",
			"default", "examples");

	private static final ObjectMapper JSON = new ObjectMapper();

	/** What a grammar was made from, so a client can ask a remote endpoint for the same answer format. */
	public enum Kind {
		/** Any JSON object ({@code response_format: json_object}). */
		ANY_OBJECT,
		/** A JSON Schema ({@code response_format: json_schema}); {@link #schemaJson()} holds it. */
		SCHEMA,
		/** A function call in its wrapper (a forced {@code tool_choice}); only the model server decodes into it. */
		FUNCTION_CALL
	}

	private final Node root;

	private final Kind kind;

	private final String schemaJson;

	private JsonGrammar(Node root, Kind kind, String schemaJson) {
		this.root = root;
		this.kind = kind;
		this.schemaJson = schemaJson;
	}

	/** Any JSON object, with any values inside. */
	public static JsonGrammar anyObject() {
		return new JsonGrammar(new ObjectNode(List.of(), true), Kind.ANY_OBJECT, null);
	}

	/** As {@link #fromSchema(JsonNode)}, from the schema's JSON text (callers on another Jackson line pass text). */
	public static JsonGrammar fromSchema(String schemaJson) {
		try {
			return fromSchema(SCHEMA_READER.readTree(schemaJson));
		}
		catch (JsonProcessingException e) {
			throw new UnsupportedSchemaException("#", "the schema is not valid JSON: " + e.getOriginalMessage());
		}
	}

	/**
	 * The grammar of {@code schemaJson} when it lies within what constrained decoding enforces, else empty: for a
	 * caller that validates the answer anyway and constrains decoding only where it can (a result schema may use
	 * keywords such as {@code minimum} or {@code anyOf} that only a validator checks).
	 */
	public static Optional<JsonGrammar> enforceable(String schemaJson) {
		try {
			return Optional.of(fromSchema(schemaJson));
		}
		catch (UnsupportedSchemaException e) {
			return Optional.empty();
		}
	}

	public Kind kind() {
		return kind;
	}

	/** The schema's JSON text for a {@link Kind#SCHEMA} grammar; empty for the others. */
	public Optional<String> schemaJson() {
		return Optional.ofNullable(schemaJson);
	}

	private static final ObjectMapper SCHEMA_READER = new ObjectMapper();

	/**
	 * The grammar of a JSON Schema whose root is an object schema.
	 * @throws UnsupportedSchemaException for a keyword or shape outside the supported set, or beyond the bounds
	 */
	public static JsonGrammar fromSchema(JsonNode schema) {
		return new JsonGrammar(objectSchema(new Compiler(), schema, "#"), Kind.SCHEMA, write(schema));
	}

	private static Node objectSchema(Compiler compiler, JsonNode schema, String path) {
		Node root = compiler.compile(schema, path, 0);
		if (!(root instanceof ObjectNode)) {
			throw new UnsupportedSchemaException(path, "the root schema must be an object schema (type: object)");
		}
		return root;
	}

	/**
	 * A function call in a wrapper, as a forced {@code tool_choice} needs it:
	 * {@code before + {"name":<one of the names>,"arguments":<that function's parameters>} + after}. The name decides
	 * which parameters schema the arguments then follow, so the text is a valid call of an offered function by
	 * construction.
	 * @param parameters per function name, in order, its parameters schema as JSON text (an object schema), or null
	 *        for a function without one (its arguments are then any JSON object)
	 * @throws UnsupportedSchemaException naming the function when its parameters cannot be enforced
	 */
	public static JsonGrammar functionCall(String before, SequencedMap<String, String> parameters,
			String after) {
		if (parameters.isEmpty() || parameters.size() > MAX_MEMBERS) {
			throw new IllegalArgumentException("a function call needs 1 to " + MAX_MEMBERS + " functions, got "
					+ parameters.size());
		}
		Compiler compiler = new Compiler();
		List<String> names = new ArrayList<>();
		List<Node> arguments = new ArrayList<>();
		for (Map.Entry<String, String> function : parameters.entrySet()) {
			String path = "functions/" + function.getKey() + "/parameters";
			names.add(text(function.getKey()));
			if (function.getValue() == null) {
				arguments.add(new ObjectNode(List.of(), true));
				continue;
			}
			try {
				arguments.add(objectSchema(compiler, SCHEMA_READER.readTree(function.getValue()), path));
			}
			catch (JsonProcessingException e) {
				throw new UnsupportedSchemaException(path, "the schema is not valid JSON: " + e.getOriginalMessage());
			}
		}
		return new JsonGrammar(new CallNode(before + "{\"name\":", List.copyOf(names), ",\"arguments\":",
				List.copyOf(arguments), "}" + after), Kind.FUNCTION_CALL, null);
	}

	Node root() {
		return root;
	}

	/** A compiled schema node with the length of its shortest text. */
	sealed interface Node permits ObjectNode, ArrayNode, StringNode, NumberNode, LiteralNode, AnyNode, CallNode {

		int minLength();

	}

	/**
	 * @param key the property's name as JSON text, quotes included
	 */
	record Property(String name, String key, Node value, boolean required) {
	}

	/** An object: the listed properties in order, or ({@code free}) any keys with any values. */
	record ObjectNode(List<Property> properties, boolean free) implements Node {

		/** Cheapest close from before property {@code from} once a value just ended: remaining required ones, then '}'. */
		int rest(int from) {
			int sum = 1;
			for (int k = from; k < properties.size(); k++) {
				Property p = properties.get(k);
				if (p.required()) {
					sum += 1 + p.key().length() + 1 + p.value().minLength();
				}
			}
			return sum;
		}

		/** Properties that may come next after index {@code from}: up to and including the first required one. */
		List<Integer> candidates(int from) {
			List<Integer> result = new ArrayList<>();
			for (int k = from; k < properties.size(); k++) {
				result.add(k);
				if (properties.get(k).required()) {
					break;
				}
			}
			return result;
		}

		boolean mayClose(int from) {
			for (int k = from; k < properties.size(); k++) {
				if (properties.get(k).required()) {
					return false;
				}
			}
			return true;
		}

		/** Cost of a key of property {@code k} and everything after it: ':' + its value + the rest. */
		int tail(int k) {
			return 1 + properties.get(k).value().minLength() + rest(k + 1);
		}

		/** Cheapest way on after a '{' (from = 0) or a ',' (from = next), free objects excluded. */
		int keyMin(int from) {
			int best = Integer.MAX_VALUE;
			for (int k : candidates(from)) {
				best = Math.min(best, properties.get(k).key().length() + tail(k));
			}
			return best;
		}

		int openMin() {
			if (free) {
				return 1;
			}
			return Math.min(mayClose(0) ? 1 : Integer.MAX_VALUE, keyMin(0));
		}

		@Override
		public int minLength() {
			return 1 + openMin();
		}

	}

	record ArrayNode(Node items, int minItems, int maxItems) implements Node {

		int openMin() {
			return minItems == 0 ? 1 : minItems * items.minLength() + (minItems - 1) + 1;
		}

		@Override
		public int minLength() {
			return 1 + openMin();
		}

	}

	record StringNode(int minChars, int maxChars) implements Node {

		static final StringNode ANY = new StringNode(0, Integer.MAX_VALUE);

		@Override
		public int minLength() {
			return 2 + minChars;
		}

	}

	record NumberNode(boolean integer) implements Node {

		@Override
		public int minLength() {
			return 1;
		}

	}

	/** One of a few fixed texts: booleans, null, enum and const values. */
	record LiteralNode(List<String> texts) implements Node {

		static final LiteralNode BOOLEAN = new LiteralNode(List.of("true", "false"));

		static final LiteralNode NULL = new LiteralNode(List.of("null"));

		static final LiteralNode TRUE_FALSE_NULL = new LiteralNode(List.of("true", "false", "null"));

		@Override
		public int minLength() {
			return texts.stream().mapToInt(String::length).min().orElseThrow();
		}

	}

	/**
	 * A function call: fixed text {@code open}, one of {@code names} (JSON strings), fixed text {@code between},
	 * the arguments of the chosen name ({@code arguments} in the order of {@code names}), fixed text {@code close}.
	 */
	record CallNode(String open, List<String> names, String between, List<Node> arguments, String close)
			implements Node {

		/** What follows name {@code i}: the fixed texts and the shortest arguments of that function. */
		int tail(int i) {
			return between.length() + arguments.get(i).minLength() + close.length();
		}

		@Override
		public int minLength() {
			int best = Integer.MAX_VALUE;
			for (int i = 0; i < names.size(); i++) {
				best = Math.min(best, names.get(i).length() + tail(i));
			}
			return open.length() + best;
		}

	}

	/** Any JSON value (inside a {@code json_object} answer). */
	record AnyNode() implements Node {

		static final AnyNode INSTANCE = new AnyNode();

		@Override
		public int minLength() {
			return 1;
		}

	}

	private static final class Compiler {

		private int nodes;

		Node compile(JsonNode schema, String path, int depth) {
			if (!schema.isObject()) {
				throw new UnsupportedSchemaException(path, "a schema must be a JSON object, got " + schema);
			}
			if (depth > MAX_DEPTH) {
				throw new UnsupportedSchemaException(path, "schemas nest deeper than " + MAX_DEPTH + " levels");
			}
			if (++nodes > MAX_NODES) {
				throw new UnsupportedSchemaException(path, "the schema has more than " + MAX_NODES + " nodes");
			}
			if (schema.has("enum") || schema.has("const")) {
				return literal(schema, path);
			}
			JsonNode type = schema.path("type");
			if (!type.isTextual()) {
				throw new UnsupportedSchemaException(path + "/type",
						"every schema needs a single type (object, array, string, number, integer, boolean, null)"
								+ (type.isArray() ? "; type unions are not supported" : ""));
			}
			return switch (type.asText()) {
				case "object" -> object(schema, path, depth);
				case "array" -> {
					allow(schema, path, "items", "minItems", "maxItems");
					if (!schema.path("items").isObject()) {
						throw new UnsupportedSchemaException(path + "/items", "an array schema needs an items schema");
					}
					int min = count(schema, "minItems", 0, path);
					int max = count(schema, "maxItems", Integer.MAX_VALUE, path);
					if (max < min) {
						throw new UnsupportedSchemaException(path, "maxItems " + max + " is below minItems " + min);
					}
					yield new ArrayNode(compile(schema.get("items"), path + "/items", depth + 1), min, max);
				}
				case "string" -> {
					allow(schema, path, "minLength", "maxLength");
					int min = count(schema, "minLength", 0, path);
					int max = count(schema, "maxLength", Integer.MAX_VALUE, path);
					if (max < min) {
						throw new UnsupportedSchemaException(path, "maxLength " + max + " is below minLength " + min);
					}
					yield new StringNode(min, max);
				}
				case "number", "integer" -> {
					allow(schema, path);
					yield new NumberNode(type.asText().equals("integer"));
				}
				case "boolean" -> {
					allow(schema, path);
					yield LiteralNode.BOOLEAN;
				}
				case "null" -> {
					allow(schema, path);
					yield LiteralNode.NULL;
				}
				default -> throw new UnsupportedSchemaException(path + "/type", "unknown type '" + type.asText() + "'");
			};
		}

		private Node object(JsonNode schema, String path, int depth) {
			allow(schema, path, "properties", "required", "additionalProperties");
			JsonNode additional = schema.path("additionalProperties");
			if (!additional.isMissingNode() && !(additional.isBoolean() && !additional.asBoolean())) {
				throw new UnsupportedSchemaException(path + "/additionalProperties",
						"only additionalProperties: false is supported (answers hold exactly the listed properties)");
			}
			JsonNode properties = schema.path("properties");
			if (!properties.isMissingNode() && !properties.isObject()) {
				throw new UnsupportedSchemaException(path + "/properties", "properties must be an object");
			}
			if (properties.size() > MAX_MEMBERS) {
				throw new UnsupportedSchemaException(path + "/properties",
						"more than " + MAX_MEMBERS + " properties in one object");
			}
			Set<String> required = new java.util.HashSet<>();
			for (JsonNode name : schema.path("required")) {
				if (!name.isTextual() || !properties.has(name.asText())) {
					throw new UnsupportedSchemaException(path + "/required",
							"required names " + name + ", which is not among the properties");
				}
				required.add(name.asText());
			}
			List<Property> result = new ArrayList<>();
			Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				String key = text(field.getKey());
				result.add(new Property(field.getKey(), key,
						compile(field.getValue(), path + "/properties/" + field.getKey(), depth + 1),
						required.contains(field.getKey())));
			}
			return new ObjectNode(List.copyOf(result), false);
		}

		private Node literal(JsonNode schema, String path) {
			allow(schema, path, "enum", "const", "type");
			List<String> texts = new ArrayList<>();
			JsonNode values = schema.has("const") ? JSON.createArrayNode().add(schema.get("const")) : schema.get("enum");
			if (!values.isArray() || values.isEmpty() || values.size() > MAX_MEMBERS) {
				throw new UnsupportedSchemaException(path + "/enum",
						"enum must be a non-empty array of at most " + MAX_MEMBERS + " values");
			}
			for (JsonNode value : values) {
				if (value.isContainerNode()) {
					throw new UnsupportedSchemaException(path + "/enum", "enum and const values must be scalars, got "
							+ value);
				}
				texts.add(write(value));
			}
			return new LiteralNode(List.copyOf(texts));
		}

		private static int count(JsonNode schema, String field, int fallback, String path) {
			JsonNode node = schema.path(field);
			if (node.isMissingNode()) {
				return fallback;
			}
			if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
				throw new UnsupportedSchemaException(path + "/" + field, field + " must be a non-negative integer");
			}
			return node.asInt();
		}

		private static void allow(JsonNode schema, String path, String... keywords) {
			Set<String> allowed = Set.of(keywords);
			Iterator<String> names = schema.fieldNames();
			while (names.hasNext()) {
				String name = names.next();
				if (!name.equals("type") && !allowed.contains(name) && !ANNOTATIONS.contains(name)) {
					throw new UnsupportedSchemaException(path + "/" + name, "the keyword '" + name
							+ "' is not supported here (supported: type, properties, required, additionalProperties: "
							+ "false, items, minItems, maxItems, minLength, maxLength, enum, const)");
				}
			}
		}

	}

	static String text(String value) {
		return write(JSON.getNodeFactory().textNode(value));
	}

	private static String write(JsonNode value) {
		try {
			return JSON.writeValueAsString(value);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}

}
