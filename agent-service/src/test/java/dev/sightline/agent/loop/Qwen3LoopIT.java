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
 * The agent loop with a model served as Qwen3-VL ({@code auto} resolves it from the served name): the scripted model
 * answers on the 0–1000 relative grid. Blue's centre, CSS (800, 450) of 1280x720, is grid (625, 625); read as
 * Qwen2.5-VL pixels of the 1288x728 image that point would be CSS (621, 618), beside the link, so the test fails
 * if the relative contract is lost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Qwen3LoopIT extends ModelFamilyLoopSupport {

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model = ScriptedModelServer.start();

	static FamilySite site = FamilySite.start();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("sightline.model.backend", () -> "openai");
		registry.add("sightline.model.base-url", model::baseUrl);
		registry.add("sightline.model.max-retries", () -> 0);
		registry.add("sightline.model.name", () -> "Qwen/Qwen3-VL-8B-Instruct");
		registry.add("sightline.store.dir", () -> storeDir.toString());
		registry.add("sightline.browser.allowed-hosts", site::host);
		registry.add("sightline.agent.concurrency", () -> 1);
		registry.add("sightline.agent.settle-ms", () -> 50);
	}

	@AfterAll
	static void close() {
		site.close();
		model.close();
	}

	@Test
	void clicksTheElementARelativeAnswerNames() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [625, 625]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = submit("Open the blue page", site.host());

		Task done = await(id, task -> task.status().isFinal());

		assertThat(done.status()).as(done.message()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(site.lastPath()).isEqualTo("/blue");
		List<RecordedRequest> requests = model.requests();
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).allText()).contains("The screen's resolution is 1000x1000.");
		// The endpoint gets the screenshot smart-resized to the pixel budget, whatever the family's coordinate space.
		byte[] sent = Base64.getDecoder().decode(requests.get(0).imageUrls().getLast().replaceFirst("^data:[^,]*,", ""));
		assertThat(new int[] { PngSize.width(sent), PngSize.height(sent) }).containsExactly(1288, 728);
		assertThat(requests.get(1).allText()).as("the history stays on the model's grid")
			.contains("Step 1: {\"action\": \"left_click\", \"coordinate\": [625, 625]}");
	}

}
