package dev.sightline.modelserver;

import java.util.Objects;
import java.util.Set;

import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.GenerationOptions;

/**
 * A validated {@code POST /v1/chat/completions} body.
 *
 * @param stream answer with server-sent events
 * @param includeUsage send a last chunk with token usage ({@code stream_options.include_usage})
 * @param returnTokenIds add the generated ids to the choice ({@code return_token_ids}, as vLLM does)
 * @param choices how many completions to generate ({@code n})
 * @param tools names of the function tools offered (empty: none, or {@code tool_choice: none}); the answer's
 *        {@code <tool_call>} blocks naming one of them are returned as {@code tool_calls}
 */
public record ChatRequest(Conversation conversation, GenerationOptions options, boolean stream,
		boolean includeUsage, boolean returnTokenIds, int choices, Set<String> tools) {

	public ChatRequest {
		Objects.requireNonNull(conversation, "conversation");
		Objects.requireNonNull(options, "options");
		tools = Set.copyOf(tools);
		if (choices < 1) {
			throw new IllegalArgumentException("choices must be at least 1, got " + choices);
		}
	}

	/** Whether each token's log-probabilities are returned ({@code logprobs: true}). */
	public boolean logprobs() {
		return options.controls().topLogprobs().isPresent();
	}

}
