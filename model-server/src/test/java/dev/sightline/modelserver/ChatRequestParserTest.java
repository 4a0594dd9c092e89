package dev.sightline.modelserver;

import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Role;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VideoPart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRequestParserTest {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String PNG_URL = "data:image/png;base64,"
			+ Base64.getEncoder().encodeToString(new byte[] { (byte) 0x89, 'P', 'N', 'G' });

	private final ChatRequestParser parser = new ChatRequestParser("tiny-a", ServerOptions.defaults("m"));

	private ChatRequest parse(String json) throws Exception {
		return parser.parse(JSON.readTree(json));
	}

	@Test
	void readsRolesTextImagesAndVideoFramesInOrder() throws Exception {
		ChatRequest request = parse("""
				{"messages": [
				  {"role": "developer", "content": "be brief"},
				  {"role": "user", "content": [
				    {"type": "text", "text": "what changed?"},
				    {"type": "image_url", "image_url": {"url": "%1$s", "max_pixels": 200704}},
				    {"type": "video", "video": ["%1$s", "%1$s", "%1$s"], "fps": 4}]},
				  {"role": "assistant", "content": null}]}""".formatted(PNG_URL));

		var messages = request.conversation().messages();
		assertThat(messages).extracting(m -> m.role()).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT);
		var parts = messages.get(1).parts();
		assertThat(parts.get(0)).isEqualTo(new TextPart("what changed?"));
		ImagePart image = (ImagePart) parts.get(1);
		assertThat(image.encoded()).containsExactly(0x89, 'P', 'N', 'G');
		assertThat(image.budget()).hasValueSatisfying(b -> assertThat(b.maxPixels()).isEqualTo(200_704));
		VideoPart video = (VideoPart) parts.get(2);
		assertThat(video.frames()).extracting(f -> f.timestampSec()).containsExactly(0.0, 0.25, 0.5);
		assertThat(messages.get(2).parts()).isEmpty();
	}

	@Test
	void defaultsToGreedyDecodingCappedByTheServerLimit() throws Exception {
		ChatRequest request = parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

		assertThat(request.options().greedy()).isTrue();
		assertThat(request.options().maxNewTokens()).isEqualTo(2048);
		assertThat(request.options().seed()).isEmpty();
		assertThat(request.stream()).isFalse();
	}

	@Test
	void prefersMaxCompletionTokensAndAcceptsAStopString() throws Exception {
		ChatRequest request = parse("""
				{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 9, "max_completion_tokens": 5,
				 "stop": "END", "stream": true, "stream_options": {"include_usage": true}}""");

		assertThat(request.options().maxNewTokens()).isEqualTo(5);
		assertThat(request.options().stop()).containsExactly("END");
		assertThat(request.stream()).isTrue();
		assertThat(request.includeUsage()).isTrue();
	}

	@Test
	void refusesImagesOutsideUserMessages() {
		assertThatThrownBy(() -> parse("""
				{"messages": [{"role": "system", "content": [{"type": "image_url", "image_url": {"url": "%s"}}]}]}"""
			.formatted(PNG_URL))).isInstanceOfSatisfying(ApiException.class, e -> {
				assertThat(e.status()).isEqualTo(400);
				assertThat(e.param()).isEqualTo("messages[0].content[0]");
				assertThat(e.getMessage()).contains("user messages only");
			});
	}

	@Test
	void refusesNonBase64DataUrlsAndUnknownPartTypes() {
		assertThatThrownBy(() -> parse("""
				{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": "data:image/png,abc"}]}]}"""))
			.isInstanceOf(ApiException.class)
			.hasMessageContaining("base64");
		assertThatThrownBy(() -> parse("""
				{"messages": [{"role": "user", "content": [{"type": "input_audio"}]}]}"""))
			.isInstanceOfSatisfying(ApiException.class,
					e -> assertThat(e.param()).isEqualTo("messages[0].content[0].type"));
	}

	@Test
	void refusesUnsupportedSamplingFeatures() {
		for (String field : new String[] { "\"n\": 2", "\"presence_penalty\": 0.5", "\"top_p\": 0",
				"\"seed\": 1.5", "\"stop\": [1]", "\"stream\": \"yes\"" }) {
			assertThatThrownBy(() -> parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], " + field + "}"))
				.as(field)
				.isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
		}
	}

	@Test
	void acceptsTheServedModelNameOrNone() throws Exception {
		JsonNode named = JSON.readTree("{\"model\": \"tiny-a\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}");
		assertThat(parser.parse(named).conversation().messages()).hasSize(1);
	}

}
