package dev.sightline.vision.qwen3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.chat.VideoPart;
import dev.sightline.vision.preprocess.GridThw;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.prompt.PreparedPrompt;
import dev.sightline.vision.qwen.ModelInputs;
import dev.sightline.vision.batching.BatchDecoder.DecodingSequence;
import dev.sightline.vision.weights.SafeTensorsFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Qwen3-VL end to end on the golden tiny-a checkpoint: a conversation (messages, PNGs, timed frames) becomes the
 * golden prompt ids and pixels, greedy generation gives the golden tokens, and the model server's batched,
 * chunked prefill gives the same tokens as a request alone.
 */
class Qwen3VlTest {

	/** qwen-vl-utils' image budget, which the golden prompts were made with (spec §4.2). */
	static final PixelBudget GOLDEN_IMAGE_BUDGET = new PixelBudget(4096, 16_777_216);

	static Qwen3Vl model;

	@BeforeAll
	static void load() {
		model = Qwen3Vl.load(Qwen3TinyCheckpoint.TINY_A, Qwen3TinyCheckpoint.CPU_FP32);
	}

	@AfterAll
	static void close() {
		model.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "lm_a_text", "lm_a_image", "lm_a_two_images", "lm_a_video_ts" })
	void rebuildsTheGoldenPromptFromItsMessages(String caseDir) throws IOException {
		PreparedPrompt prompt = model.prepare(conversation(caseDir));
		ModelInputs golden = caseInputs(caseDir);
		assertThat(prompt.inputIds()).containsExactly(golden.inputIds());
		ModelInputs ours = Qwen3Vl.inputs(prompt);
		assertThat(ours.imageGrids()).isEqualTo(golden.imageGrids());
		assertThat(ours.videoGrids()).isEqualTo(golden.videoGrids());
		assertThat(ours.pixelValues()).containsExactly(golden.pixelValues(), within(1e-5f));
		assertThat(ours.pixelValuesVideos()).containsExactly(golden.pixelValuesVideos(), within(1e-5f));
	}

	@ParameterizedTest
	@ValueSource(strings = { "lm_a_image_gen", "lm_a_video_ts_gen", "lm_a_text_eos_gen" })
	void greedyGenerationGivesTheGoldenTokens(String caseId) throws IOException {
		JsonNode params = caseParams(caseId);
		Generation generation = model.generate(conversation(caseId.replaceAll("_gen$", "")),
				GenerationOptions.GREEDY.withMaxNewTokens(params.path("max_new_tokens").asInt()));
		List<Integer> expected = new ArrayList<>();
		params.path("new_token_ids").forEach(id -> expected.add(id.asInt()));
		assertThat(generation.tokenIds()).isEqualTo(expected);
		assertThat(generation.finishReason()).isEqualTo(params.path("stopped_at_eos").asBoolean() ? FinishReason.STOP : FinishReason.LENGTH);
	}

	@Test
	void batchedChunkedPrefillGivesTheSameTokensAsAlone() throws IOException {
		GenerationOptions options = GenerationOptions.GREEDY.withMaxNewTokens(6);
		Conversation image = conversation("lm_a_image");
		Conversation video = conversation("lm_a_video_ts");
		Generation imageAlone = model.generate(image, options);
		Generation videoAlone = model.generate(video, options);
		List<DecodingSequence> batch = List.of(model.start(video, options), model.start(image, options));
		try {
			for (int pass = 0; pass < 200 && !batch.stream().allMatch(DecodingSequence::finished); pass++) {
				// 5 prompt tokens a pass: chunks end inside the visual runs, so DeepStack rows straddle passes.
				model.step(batch, 5);
			}
			assertThat(batch.get(0).generation().tokenIds()).isEqualTo(videoAlone.tokenIds());
			assertThat(batch.get(1).generation().tokenIds()).isEqualTo(imageAlone.tokenIds());
		}
		finally {
			batch.forEach(DecodingSequence::close);
		}
	}

	/** The case's {@code prompt.json} messages with its PNGs (and frame times) as a conversation. */
	static Conversation conversation(String caseDir) throws IOException {
		Path dir = Qwen3TinyCheckpoint.GOLDEN.resolve("cases").resolve(caseDir);
		JsonNode prompt = Qwen3TinyCheckpoint.JSON.readTree(dir.resolve("prompt.json").toFile());
		JsonNode params = caseParams(caseDir + "_");
		List<Message> messages = new ArrayList<>();
		int image = 0;
		for (JsonNode message : prompt.path("messages")) {
			Role role = Role.valueOf(message.path("role").asText().toUpperCase(java.util.Locale.ROOT));
			List<Part> parts = new ArrayList<>();
			JsonNode content = message.path("content");
			if (content.isTextual()) {
				parts.add(new TextPart(content.asText()));
			}
			for (JsonNode part : content.isArray() ? content : Qwen3TinyCheckpoint.JSON.createArrayNode()) {
				switch (part.path("type").asText()) {
					case "text" -> parts.add(new TextPart(part.path("text").asText()));
					case "image" -> parts.add(new ImagePart(Files.readAllBytes(dir.resolve("image_" + image++ + ".png")),
							Optional.of(GOLDEN_IMAGE_BUDGET)));
					case "video" -> {
						List<TimedFrame> frames = new ArrayList<>();
						JsonNode indices = params.path("video_frames_indices");
						double fps = params.path("video_fps").asDouble();
						for (int i = 0; i < indices.size(); i++) {
							frames.add(new TimedFrame(
									Files.readAllBytes(dir.resolve(String.format("frame_%02d.png", i))),
									indices.get(i).asInt() / fps));
						}
						parts.add(new VideoPart(frames));
					}
					default -> throw new IllegalArgumentException("unknown part " + part);
				}
			}
			messages.add(new Message(role, parts));
		}
		return new Conversation(messages);
	}

	static JsonNode caseParams(String caseId) throws IOException {
		JsonNode manifest = Qwen3TinyCheckpoint.JSON.readTree(Qwen3TinyCheckpoint.GOLDEN.resolve("manifest.json").toFile());
		for (JsonNode c : manifest.path("cases")) {
			String id = c.path("id").asText();
			// An id ending in "_" asks for any case of that folder (forward and generate share their inputs).
			if (caseId.endsWith("_") ? id.startsWith(caseId) : id.equals(caseId)) {
				return c.path("params");
			}
		}
		throw new IllegalArgumentException("no golden case " + caseId);
	}

	static ModelInputs caseInputs(String caseDir) {
		Path file = Qwen3TinyCheckpoint.GOLDEN.resolve("cases").resolve(caseDir).resolve("inputs.safetensors");
		try (SafeTensorsFile inputs = SafeTensorsFile.open(file)) {
			return new ModelInputs(inputs.longs("input_ids"),
					inputs.contains("pixel_values") ? inputs.floats("pixel_values") : null,
					grids(inputs, "image_grid_thw"),
					inputs.contains("pixel_values_videos") ? inputs.floats("pixel_values_videos") : null,
					grids(inputs, "video_grid_thw"), null);
		}
	}

	private static List<GridThw> grids(SafeTensorsFile file, String name) {
		if (!file.contains(name)) {
			return List.of();
		}
		long[] flat = file.longs(name);
		List<GridThw> grids = new ArrayList<>();
		for (int i = 0; i + 2 < flat.length; i += 3) {
			grids.add(new GridThw((int) flat[i], (int) flat[i + 1], (int) flat[i + 2]));
		}
		return grids;
	}

}
