package dev.sightline.agent.result;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.TaskException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Output schemas: bounded, self-contained, valid draft 2020-12; results validated with the validator's messages. */
class ResultSchemasTest {

	final JsonMapper json = JsonMapper.builder().build();

	final ResultSchemas schemas = new ResultSchemas();

	JsonNode read(String text) {
		return json.readTree(text);
	}

	@Test
	void validatesResultsWithTheValidatorsMessages() {
		JsonNode schema = read("""
				{"type": "object", "required": ["title", "price"], "properties": {
				  "title": {"type": "string"}, "price": {"type": "number", "minimum": 0}}}""");

		schemas.check(schema);
		assertThat(schemas.validate(schema, read("{\"title\": \"Lamp\", \"price\": 12.5}"))).isEmpty();
		assertThat(schemas.validate(schema, read("{\"title\": 5, \"price\": -1}"))).hasSize(2)
			.anySatisfy(message -> assertThat(message).contains("title").contains("string"))
			.anySatisfy(message -> assertThat(message).contains("price").contains("0"));
		assertThat(schemas.validate(schema, read("{\"title\": \"Lamp\"}")))
			.singleElement().asString().contains("price");
	}

	@Test
	void refusesSchemasOverTheSizeOrDepthLimitOrInvalid() {
		String big = "{\"description\": \"" + "x".repeat(ResultSchemas.MAX_SCHEMA_BYTES) + "\"}";
		String deep = "{\"items\": ".repeat(20) + "{}" + "}".repeat(20);

		assertThatThrownBy(() -> schemas.check(read(big))).isInstanceOf(TaskException.Invalid.class)
			.hasMessageContaining("more than the limit of 16384");
		assertThatThrownBy(() -> schemas.check(read(deep))).hasMessageContaining("nested 21 levels deep, more than "
				+ "the limit of 16");
		assertThatThrownBy(() -> schemas.check(read("{\"type\": \"nonsense\"}")))
			.hasMessageContaining("output.schema is not a valid JSON Schema (draft 2020-12)");
		assertThatThrownBy(() -> schemas.check(read("[1]"))).hasMessageContaining("must be a JSON Schema object");
		assertThatThrownBy(() -> schemas.check(read("{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}")))
			.hasMessageContaining("$schema must be https://json-schema.org/draft/2020-12/schema");
	}

	/**
	 * A remote {@code $ref} is refused when the task is submitted, naming the reference; and even a schema that got
	 * past the check makes the validator fetch nothing (a local receiver counts connections).
	 */
	@Test
	void refusesReferencesOutsideTheSchemaWhichTheValidatorWouldFetch() throws IOException {
		AtomicInteger fetched = new AtomicInteger();
		HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		receiver.createContext("/", exchange -> {
			fetched.incrementAndGet();
			byte[] body = "{\"type\": \"string\"}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		receiver.start();
		try {
			String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/internal.json";
			JsonNode remote = read("{\"properties\": {\"a\": {\"$ref\": \"" + url + "\"}}}");
			try {
				schemas.validate(remote, read("{\"a\": 1}"));
			}
			catch (RuntimeException e) {
				// Unresolvable: what matters is that nothing connected.
			}
			assertThat(fetched.get()).as("the validator never fetches").isZero();

			assertThatThrownBy(() -> schemas.check(remote)).isInstanceOf(TaskException.Invalid.class)
				.hasMessageContaining("output.schema.properties.a.$ref is '" + url
						+ "'; only references within the schema (#/...) are allowed");
			assertThatThrownBy(() -> schemas.check(read("{\"$id\": \"" + url + "\"}")))
				.hasMessageContaining("$id is not allowed");
			assertThat(fetched.get()).isZero();
			schemas.check(read("{\"$defs\": {\"p\": {\"type\": \"string\"}}, \"properties\": {\"a\": {\"$ref\": "
					+ "\"#/$defs/p\"}}}"));
		}
		finally {
			receiver.stop(0);
		}
	}

}
