package dev.sightline.vision.prompt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.chat.Conversation;

/**
 * Renders a conversation to prompt text with one {@code <|image_pad|>} / {@code <|video_pad|>} per image / video
 * (spec §8.1): the checkpoint's own Jinja template when it has one, else the built-in Qwen2.5-VL template.
 */
public sealed interface ChatTemplate permits JinjaChatTemplate, BuiltInChatTemplate {

	String render(Conversation conversation, boolean addGenerationPrompt);

	/** The built-in Qwen2.5-VL template (spec §8.1), rendered in Java. */
	static ChatTemplate builtIn() {
		return new BuiltInChatTemplate();
	}

	/**
	 * The template a checkpoint ships: {@code chat_template.jinja}, {@code chat_template.json} or the
	 * {@code chat_template} of {@code tokenizer_config.json} (a string, or a list of named templates where "default"
	 * wins); the built-in one when none is present.
	 */
	static ChatTemplate fromCheckpoint(Path dir) {
		return source(dir).<ChatTemplate>map(JinjaChatTemplate::new).orElseGet(BuiltInChatTemplate::new);
	}

	private static Optional<String> source(Path dir) {
		ObjectMapper json = new ObjectMapper();
		try {
			Path jinja = dir.resolve("chat_template.jinja");
			if (Files.isRegularFile(jinja)) {
				return Optional.of(Files.readString(jinja));
			}
			for (String file : new String[] { "chat_template.json", "tokenizer_config.json" }) {
				Path path = dir.resolve(file);
				if (Files.isRegularFile(path)) {
					Optional<String> template = fromNode(json.readTree(Files.readString(path)).path("chat_template"));
					if (template.isPresent()) {
						return template;
					}
				}
			}
			return Optional.empty();
		}
		catch (IOException e) {
			throw new PromptException("cannot read the chat template of " + dir + ": " + e.getMessage(), e);
		}
	}

	private static Optional<String> fromNode(JsonNode node) {
		if (node.isTextual()) {
			return Optional.of(node.asText());
		}
		if (node.isArray()) {
			for (JsonNode named : node) {
				if ("default".equals(named.path("name").asText())) {
					return Optional.of(named.path("template").asText());
				}
			}
		}
		return Optional.empty();
	}

}
