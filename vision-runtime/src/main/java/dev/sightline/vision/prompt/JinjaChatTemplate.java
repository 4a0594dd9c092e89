package dev.sightline.vision.prompt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.Part;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VideoPart;

/**
 * A checkpoint's Jinja chat template rendered with Jinjava, with the environment transformers uses
 * ({@code trim_blocks} and {@code lstrip_blocks} on). Messages are passed as transformers passes them: content is a
 * string for a single text part, else a list of {@code {"type": "text"|"image"|"video", ...}} parts.
 */
public final class JinjaChatTemplate implements ChatTemplate {

	private final String source;

	private final Jinjava jinjava;

	public JinjaChatTemplate(String source) {
		this.source = lstripBlocks(source);
		// Jinja2 honours "{{-" / "-}}" on expressions too; Jinjava only with this override. Qwen3-VL's template
		// relies on it (every output line is an indented "{{- ... }}").
		this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
			.withTrimBlocks(true)
			// Jinjava's lstrip_blocks also eats spaces before a tag in the middle of a line ("Picture 1: {% endif"),
			// which Jinja2 keeps; Jinja2's rule is applied to the source instead (lstripBlocks).
			.withLstripBlocks(false)
			.withLegacyOverrides(LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true).build())
			.build());
		this.jinjava.getGlobalContext().registerFilter(new PythonJsonFilter());
	}

	/**
	 * Jinja2's {@code lstrip_blocks}: spaces and tabs from the start of a line up to a block or comment tag are
	 * removed (not before {@code {%+}, and never in the middle of a line).
	 */
	static String lstripBlocks(String source) {
		return LINE_START_BEFORE_TAG.matcher(source).replaceAll("");
	}

	private static final java.util.regex.Pattern LINE_START_BEFORE_TAG = java.util.regex.Pattern
		.compile("(?m)^[ \\t]+(?=\\{%(?!\\+)|\\{#)");

	@Override
	public String render(Conversation conversation, boolean addGenerationPrompt) {
		return render(messages(conversation), addGenerationPrompt, Map.of());
	}

	/**
	 * Renders messages already in transformers' form (e.g. a golden case's JSON), with extra template variables
	 * such as {@code add_vision_id}.
	 */
	public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
		Map<String, Object> context = new HashMap<>(extra);
		context.put("messages", messages);
		context.put("add_generation_prompt", addGenerationPrompt);
		RenderResult result = jinjava.renderForResult(source, context);
		List<TemplateError> fatal = result.getErrors().stream()
			.filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
			.toList();
		if (!fatal.isEmpty()) {
			throw new PromptException("the checkpoint's chat template failed: " + fatal.get(0).getMessage());
		}
		return result.getOutput();
	}

	private static List<Map<String, Object>> messages(Conversation conversation) {
		List<Map<String, Object>> out = new ArrayList<>();
		for (Message message : conversation.messages()) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("role", message.role().templateName());
			if (message.parts().size() == 1 && message.parts().get(0) instanceof TextPart text) {
				m.put("content", text.text());
			}
			else {
				List<Map<String, Object>> parts = new ArrayList<>();
				for (Part part : message.parts()) {
					Map<String, Object> p = new LinkedHashMap<>();
					switch (part) {
						case TextPart text -> {
							p.put("type", "text");
							p.put("text", text.text());
						}
						case ImagePart image -> {
							p.put("type", "image");
							p.put("image", "<image>");
						}
						case VideoPart video -> {
							p.put("type", "video");
							p.put("video", "<video>");
						}
					}
					parts.add(p);
				}
				m.put("content", parts);
			}
			out.add(m);
		}
		return out;
	}

}
