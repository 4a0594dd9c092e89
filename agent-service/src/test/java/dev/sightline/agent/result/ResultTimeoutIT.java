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
 * The result turn has its own bound, {@code sightline.result.timeout}: a model that takes longer to give the result
 * fails the task with a message naming the setting, well before the model call's own timeout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sightline.result.timeout=2s")
class ResultTimeoutIT extends ScriptedTaskHarness {

	@Test
	void aResultTurnPastItsTimeoutFailsTheTaskNamingTheSetting() throws Exception {
		pages.put("/slow", "<!doctype html><title>Lamp</title><body><h1>Desk lamp</h1></body>");
		model.enqueue(ResultIT.answer("done"), Reply.text("{\"title\": \"Desk lamp\"}").afterMs(8_000));
		HttpResponse<String> response = post("/api/v1/tasks", """
				{"goal": "Read the product", "target": {"type": "browser", "url": "%s"}, "maxSteps": 3,
				 "timeoutSeconds": 60, "output": {"schema": {"type": "object"}}}""".formatted(siteUrl("/slow")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		long start = System.nanoTime();

		Task done = awaitEnd(idOf(response));

		assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(done.message()).contains("took longer than sightline.result.timeout (PT2S)");
		assertThat((System.nanoTime() - start) / 1e9).as("seconds to the end").isLessThan(8);
	}

}
