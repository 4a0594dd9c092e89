package dev.sightline.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.execute.PngSize;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.RecordedRequest;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

/**
 * The agent loop with a model served as UI-TARS-1.5 ({@code sightline.model.profile=auto} resolves it from the served
 * name): real Chromium on a local page, real HTTP, the scripted model server answering in UI-TARS's
 * {@code Thought:}/{@code Action:} grammar as the only double. Blue's centre, CSS (800, 450), is model pixel
 * (805, 455) of the 1288x728 image; the field's, CSS (250, 530), is (252, 536).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UiTarsLoopIT extends ModelFamilyLoopSupport {

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model = ScriptedModelServer.start();

	static FamilySite site = FamilySite.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("sightline.model.backend", () -> "openai");
		registry.add("sightline.model.base-url", model::baseUrl);
		registry.add("sightline.model.max-retries", () -> 0);
		registry.add("sightline.model.name", () -> "ByteDance-Seed/UI-TARS-1.5-7B");
		registry.add("sightline.store.dir", () -> storeDir.toString());
		registry.add("sightline.browser.allowed-hosts", site::host);
		registry.add("sightline.agent.concurrency", () -> 1);
		registry.add("sightline.agent.settle-ms", () -> 50);
		registry.add("sightline.agent.approval.rules[0].on", () -> "submit");
		registry.add("sightline.agent.approval.rules[0].hosts", site::host);
	}

	@AfterAll
	static void close() {
		site.close();
		model.close();
	}

	@Test
	void clicksTheElementAUiTarsAnswerNamesAndKeepsItsGrammarInTheHistory() throws Exception {
		int before = model.requests().size();
		model.enqueue(Reply.text("Thought: The blue link is on the right.\n"
				+ "Action: click(start_box='<|box_start|>(805,455)<|box_end|>')"),
				Reply.text("Thought: The blue page is open.\nAction: finished(content='')"));
		String id = submit("Open the blue page", site.host());

		Task done = await(id, task -> task.status().isFinal());

		assertThat(done.status()).as(done.message()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(site.lastPath()).isEqualTo("/blue");
		List<RecordedRequest> requests = model.requests().subList(before, model.requests().size());
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).json().path("messages")).as("UI-TARS has no system prompt").hasSize(1);
		assertThat(requests.get(0).allText()).contains("## Action Space", "left_double(start_box=",
				"## User Instruction\nOpen the blue page").doesNotContain("<tools>");
		assertThat(requests.get(1).allText()).contains("Step 1: click(start_box='(805,455)')");
		// The endpoint gets the screenshot smart-resized to the pixel budget, whatever the family's coordinate space.
		byte[] sent = Base64.getDecoder().decode(requests.get(0).imageUrls().getLast().replaceFirst("^data:[^,]*,", ""));
		assertThat(new int[] { PngSize.width(sent), PngSize.height(sent) }).containsExactly(1288, 728);
	}

	@Test
	void aTrailingNewlineInTypeIsASubmitTheApprovalRulesStop() throws Exception {
		model.enqueue(Reply.text("Thought: Click the search field.\nAction: click(start_box='(252,536)')"),
				Reply.text("Thought: Search for the lamp.\nAction: type(content='lamp\\n')"));
		String id = submit("Search for a lamp", site.host());

		Task waiting = await(id, task -> task.status() == TaskStatus.AWAITING_APPROVAL);

		assertThat(waiting.steps()).as("the click is done; the typing step waits").isEqualTo(1);
		assertThat(site.lastPath()).as("Enter waits for approval").doesNotStartWith("/searched");
		assertThat(post("/api/v1/tasks/" + id + "/reject", "{\"comment\": \"no\"}").statusCode()).isEqualTo(202);
		Task done = await(id, task -> task.status().isFinal());
		assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
		assertThat(done.message()).contains("would key").contains("submit on " + site.host());
		assertThat(site.lastPath()).doesNotStartWith("/searched");
	}

}
