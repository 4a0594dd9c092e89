package dev.sightline.agent.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
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
		int before = model.requests().size();
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [625, 625]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = submit("Open the blue page", site.host());

		Task done = await(id, task -> task.status().isFinal());

		assertThat(done.status()).as(done.message()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(site.lastPath()).isEqualTo("/blue");
		List<RecordedRequest> requests = model.requests().subList(before, model.requests().size());
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).allText()).contains("The screen's resolution is 1000x1000.");
		// The endpoint gets the screenshot smart-resized to the pixel budget, whatever the family's coordinate space.
		byte[] sent = Base64.getDecoder().decode(requests.get(0).imageUrls().getLast().replaceFirst("^data:[^,]*,", ""));
		assertThat(new int[] { PngSize.width(sent), PngSize.height(sent) }).containsExactly(1288, 728);
		assertThat(requests.get(1).allText()).as("the history stays on the model's grid")
			.contains("Step 1: {\"action\": \"left_click\", \"coordinate\": [625, 625]}");
	}

	@Test
	void theGroundEndpointReadsARelativeAnswerAsPixelsOfTheImageSent() throws Exception {
		BufferedImage image = new BufferedImage(1000, 500, BufferedImage.TYPE_INT_RGB);
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		ImageIO.write(image, "png", png);
		model.enqueue(Reply.text("```json\n[{\"point_2d\": [500, 500], \"label\": \"centre\"}]\n```"));

		HttpResponse<String> response = post("/api/v1/ground", "{\"image\": \""
				+ Base64.getEncoder().encodeToString(png.toByteArray()) + "\", \"instruction\": \"the centre\"}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JsonMapper.shared().readTree(response.body());
		// Grid (500, 500) is the image's centre; as Qwen2.5-VL pixels it would be near the bottom edge.
		assertThat(body.path("point").path("xPx").asDouble()).isCloseTo(500, within(2.0));
		assertThat(body.path("point").path("yPx").asDouble()).isCloseTo(250, within(2.0));
	}

}
