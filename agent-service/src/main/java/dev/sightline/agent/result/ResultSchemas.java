package dev.sightline.agent.result;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

import dev.sightline.agent.task.TaskException;

/**
 * Checks a task's output schema when it is submitted and validates results against it, with networknt's
 * json-schema-validator (draft 2020-12, the meta-schemas from its jar). A schema may not name anything outside
 * itself: a remote {@code $ref} or {@code $id} is refused with a 400 that says so, instead of a result that can never
 * validate; and the validator is set never to fetch one (a URL the client chose, from inside the service).
 */
public final class ResultSchemas {

	public static final int MAX_SCHEMA_BYTES = 16_384;

	public static final int MAX_DEPTH = 16;

	private static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

	private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");

	/** Never fetches (the library's default since 2.0, pinned here): meta-schemas come from its jar. */
	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));

	private final Schema metaSchema = registry.getSchema(SchemaLocation.of(DIALECT));

	/** Throws a 400 {@link TaskException.Invalid} naming what is wrong with {@code schema} and the limit. */
	public void check(JsonNode schema) {
		int bytes = schema.toString().getBytes(StandardCharsets.UTF_8).length;
		if (bytes > MAX_SCHEMA_BYTES) {
			throw new TaskException.Invalid("output.schema is " + bytes + " bytes, more than the limit of "
					+ MAX_SCHEMA_BYTES + "; describe the result more compactly");
		}
		if (!schema.isObject()) {
			throw new TaskException.Invalid("output.schema must be a JSON Schema object, got " + schema.getNodeType().name().toLowerCase());
		}
		int depth = depth(schema);
		if (depth > MAX_DEPTH) {
			throw new TaskException.Invalid("output.schema is nested " + depth
					+ " levels deep, more than the limit of " + MAX_DEPTH);
		}
		checkSelfContained(schema, "");
		List<String> problems = messages(metaSchema.validate(schema));
		if (!problems.isEmpty()) {
			throw new TaskException.Invalid("output.schema is not a valid JSON Schema (draft 2020-12): " + String.join("; ", problems));
		}
	}

	/** The validator's messages for {@code value} against {@code schema}; empty when it validates. */
	public List<String> validate(JsonNode schema, JsonNode value) {
		return messages(registry.getSchema(schema).validate(value));
	}

	private static List<String> messages(List<Error> errors) {
		return errors.stream().map(Error::toString).limit(20).toList();
	}

	private static int depth(JsonNode node) {
		int deepest = 0;
		for (JsonNode child : node.values()) {
			deepest = Math.max(deepest, depth(child));
		}
		return node.isContainer() ? deepest + 1 : 0;
	}

	private static void checkSelfContained(JsonNode node, String path) {
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> member : node.properties()) {
				String name = member.getKey();
				JsonNode value = member.getValue();
				if (REFERENCES.contains(name) && value.isString() && !value.asString().startsWith("#")) {
					throw new TaskException.Invalid("output.schema" + path + "." + name + " is '"
							+ value.asString() + "'; only references within the schema (#/...) are allowed");
				}
				if (name.equals("$id")) {
					throw new TaskException.Invalid("output.schema" + path
							+ ".$id is not allowed: the schema must be self-contained");
				}
				if (name.equals("$schema") && path.isEmpty() && !DIALECT.equals(value.asString(""))) {
					throw new TaskException.Invalid("output.schema.$schema must be " + DIALECT
							+ " (or absent), got '" + value.asString("") + "'");
				}
				checkSelfContained(value, path + "." + name);
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				checkSelfContained(node.get(i), path + "[" + i + "]");
			}
		}
	}

}
