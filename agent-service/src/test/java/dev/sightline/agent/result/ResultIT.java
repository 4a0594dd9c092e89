package dev.sightline.agent.result;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import dev.sightline.agent.ScriptedTaskHarness;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Structured results end to end over real HTTP, real Chromium and a local page: the model finishes (with the answer
 * action), is asked for the result as one bare JSON value in the schema's shape — decoded into the schema through
 * {@code response_format} where the grammar can enforce it — re-asked with the validator's messages when it does not
 * validate, and the result is returned by {@code GET /tasks/{id}}; one that never validates fails the task.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sightline.agent.reasks=1")
class ResultIT extends ScriptedTaskHarness {

	static final String SCHEMA = """
			{"type": "object", "required": ["title", "price"], "additionalProperties": false,
			 "properties": {"title": {"type": "string"}, "price": {"type": "number", "minimum": 0}}}""";

	static Reply answer(String text) {
		return Reply.toolCall("{\"action\": \"answer\", \"text\": \"" + text.replace("\"", "\\\"") + "\"}");
	}

	/** A reply of the result turn: the JSON value as the answer's whole text. */
	static Reply result(String json) {
		return Reply.text(json);
	}

	String submit() throws Exception {
		return submit(SCHEMA);
	}

	String submit(String schema) throws Exception {
		pages.put("/lamp", "<!doctype html><title>Lamp</title><body><h1>Desk lamp</h1><p>12.50 EUR</p></body>");
		HttpResponse<String> response = post("/api/v1/tasks", """
				{"goal": "Read the product", "target": {"type": "browser", "url": "%s"}, "maxSteps": 3,
				 "timeoutSeconds": 60, "output": {"schema": %s, "instructions": "price in euros"}}"""
			.formatted(siteUrl("/lamp"), schema));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		assertThat(response.body()).contains("\"output\":{\"schema\":{");
		return idOf(response);
	}

	@Test
	void returnsTheValidatedResultAfterAReaskWithTheValidatorsMessages() throws Exception {
		model.enqueue(answer("It is a desk lamp for 12.50"), result("{\"title\": \"Desk lamp\", \"price\": \"12.50\"}"),
				result("```json\n{\"title\": \"Desk lamp\", \"price\": 12.5}\n```"));
		int before = model.requests().size();
		String id = submit();

		Task done = awaitEnd(id);

		assertThat(done.status()).as(done.message()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(done.message()).isEqualTo("It is a desk lamp for 12.50");
		String view = get("/api/v1/tasks/" + id).body();
		assertThat(view).contains("\"result\":{\"title\":\"Desk lamp\",\"price\":12.5}");
		var asks = model.requests().subList(before, model.requests().size());
		assertThat(asks).hasSize(3);
		assertThat(asks.get(1).allText()).contains("Now report its result")
			.contains("Answer with one JSON value and nothing else")
			.contains("\"minimum\":0")
			.contains("price in euros");
		assertThat(asks.get(1).imageUrls()).as("asked on the last screenshot").hasSize(1);
		// "minimum" is beyond what decoding can enforce: no answer format is asked for, the validator decides.
		assertThat(asks.get(1).json().has("response_format")).isFalse();
		assertThat(asks.get(2).allText()).contains("does not validate against output.schema").contains("price");
		assertThat(eventsOf(id)).contains("result {\"taskId\":\"" + id + "\",\"result\":{\"title\":\"Desk lamp\"");
		assertThat(get("/api/v1/tasks/" + id + "/events").body()).contains("event:result");
		assertThat(get("/tasks/" + id).body()).contains("<pre id=\"result\"").contains("&quot;Desk lamp&quot;");
		assertThat(get("/tasks/" + id + "/replay").body()).contains("<pre id=\"result\"").contains("12.5");
	}

	@Test
	void failsTheTaskWithTheMessagesWhenTheResultNeverValidates() throws Exception {
		model.enqueue(answer("done"), result("not json at all"), result("{\"title\": \"Desk lamp\"}"));
		String id = submit();

		Task done = awaitEnd(id);

		assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(done.message()).contains("the model reported success but its result never validated (2 attempts)")
			.contains("does not validate against output.schema").contains("price");
		assertThat(get("/api/v1/tasks/" + id).body()).contains("\"result\":null");
	}

	@Test
	void anEnforceableSchemaIsAskedForAsTheAnswerFormat() throws Exception {
		String schema = """
				{"type": "object", "required": ["title", "price"], "additionalProperties": false,
				 "properties": {"title": {"type": "string"}, "price": {"type": "number"}}}""";
		model.enqueue(answer("done"), result("{\"title\":\"Desk lamp\",\"price\":12.5}"));
		int before = model.requests().size();
		String id = submit(schema);

		Task done = awaitEnd(id);

		assertThat(done.status()).as(done.message()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(get("/api/v1/tasks/" + id).body()).contains("\"result\":{\"title\":\"Desk lamp\",\"price\":12.5}");
		var format = model.requests().get(before + 1).json().path("response_format");
		assertThat(format.path("type").asText()).isEqualTo("json_schema");
		assertThat(format.at("/json_schema/schema/required").toString()).isEqualTo("[\"title\",\"price\"]");
	}

	@Test
	void refusesBadSchemasWithTheReason() throws Exception {
		String target = "\"target\": {\"type\": \"browser\", \"url\": \"" + siteUrl("/") + "\"}";
		HttpResponse<String> invalid = post("/api/v1/tasks",
				"{\"goal\": \"Go\", " + target + ", \"output\": {\"schema\": {\"type\": \"nonsense\"}}}");
		HttpResponse<String> remote = post("/api/v1/tasks", "{\"goal\": \"Go\", " + target
				+ ", \"output\": {\"schema\": {\"$ref\": \"http://169.254.169.254/latest\"}}}");
		HttpResponse<String> missing = post("/api/v1/tasks",
				"{\"goal\": \"Go\", " + target + ", \"output\": {\"instructions\": \"all\"}}");

		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body()).contains("output.schema is not a valid JSON Schema (draft 2020-12)");
		assertThat(remote.statusCode()).isEqualTo(400);
		assertThat(remote.body()).contains("only references within the schema (#/...) are allowed");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(missing.body()).contains("output.schema is required");
	}

}
