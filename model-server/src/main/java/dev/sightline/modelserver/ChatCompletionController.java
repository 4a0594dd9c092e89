package dev.sightline.modelserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import dev.sightline.vision.batching.Scheduler;
import dev.sightline.vision.chat.FinishReason;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.TokenLogprob;
import dev.sightline.vision.chat.VisionLanguageModel.TokenListener;

/**
 * {@code POST /v1/chat/completions}. Text produced on the scheduler thread is handed over through a queue and
 * written by the request's own virtual thread, so a slow client never stalls the batch; a failed write marks the
 * client gone and the next token cancels its generation.
 * <p>
 * Both answers are a {@link ResponseBodyEmitter}: a stream of server-sent events ({@code data: {...}\n\n} lines, as
 * OpenAI writes them — with the space after the colon that {@code SseEmitter} leaves out), or one JSON body once the
 * generation has finished (so its failures still choose the status).
 */
@RestController
final class ChatCompletionController {

	/** Streams last as long as their generation: no async timeout (the scheduler bounds the work). */
	private static final long NO_TIMEOUT = -1;

	private static final MediaType EVENT_STREAM = new MediaType("text", "event-stream", StandardCharsets.UTF_8);

	private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

	private final String modelName;

	private final ServerOptions options;

	private final ChatRequestParser parser;

	private final Scheduler scheduler;

	ChatCompletionController(ServedModel served) {
		this.modelName = served.modelName();
		this.options = served.options();
		this.parser = new ChatRequestParser(served.modelName(), served.options(), served.resolver());
		this.scheduler = served.scheduler();
	}

	@PostMapping("/v1/chat/completions")
	ResponseEntity<ResponseBodyEmitter> complete(HttpServletRequest http) throws IOException {
		JsonNode body = ApiRequests.readJson(http, options.maxRequestBytes());
		ChatRequest request = parser.parse(body);
		String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
		long created = System.currentTimeMillis() / 1000;
		if (request.stream()) {
			return stream(request, id, created);
		}
		List<CompletableFuture<Generation>> results = submitChoices(request, index -> piece -> true);
		List<Generation> generations = new ArrayList<>();
		for (CompletableFuture<Generation> result : results) {
			generations.add(await(result));
		}
		byte[] json = OpenAiResponses.JSON.writeValueAsBytes(OpenAiResponses.completion(id, created, modelName,
				generations, request.returnTokenIds(), request.logprobs(), request.tools()));
		ResponseBodyEmitter emitter = new ResponseBodyEmitter(NO_TIMEOUT);
		emitter.send(json, MediaType.APPLICATION_JSON);
		emitter.complete();
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).contentLength(json.length).body(emitter);
	}

	private ResponseEntity<ResponseBodyEmitter> stream(ChatRequest request, String id, long created) {
		BlockingQueue<Object> events = new LinkedBlockingQueue<>();
		AtomicBoolean gone = new AtomicBoolean();
		// Submitted before the answer starts: a full queue is still a 429, not an error event in a 200 stream.
		List<CompletableFuture<Generation>> results = submitChoices(request, index -> new TokenListener() {

			@Override
			public boolean onText(String piece) {
				return onPiece(piece, List.of());
			}

			@Override
			public boolean onPiece(String piece, List<TokenLogprob> logprobs) {
				if (gone.get()) {
					return false;
				}
				events.add(new ChoiceEvent(index, new Piece(piece, logprobs)));
				return true;
			}

		});
		for (int i = 0; i < results.size(); i++) {
			int index = i;
			results.get(i).whenComplete(
					(generation, failure) -> events.add(new ChoiceEvent(index, failure != null ? failure : generation)));
		}
		// The client went away: stop the generations at their next token, or before they start.
		Runnable clientGone = () -> {
			gone.set(true);
			results.forEach(result -> result.cancel(false));
		};
		ResponseBodyEmitter emitter = new ResponseBodyEmitter(NO_TIMEOUT);
		emitter.onError(failure -> clientGone.run());
		emitter.onTimeout(clientGone);
		Thread.ofVirtual()
			.name("chat-stream-" + id)
			.start(() -> write(emitter, events, request, id, created, clientGone));
		return ResponseEntity.ok().contentType(EVENT_STREAM).header(HttpHeaders.CACHE_CONTROL, "no-cache").body(emitter);
	}

	private void write(ResponseBodyEmitter emitter, BlockingQueue<Object> events, ChatRequest request, String id,
			long created, Runnable clientGone) {
		try {
			for (int i = 0; i < request.choices(); i++) {
				send(emitter, OpenAiResponses.chunk(id, created, modelName, i, "assistant", "", null));
			}
			Generation[] finished = new Generation[request.choices()];
			ToolCallStream[] tools = new ToolCallStream[request.choices()];
			for (int i = 0; i < tools.length; i++) {
				tools[i] = new ToolCallStream();
			}
			// Per choice, how many tokens' log-probabilities went out with earlier deltas.
			int[] logprobsSent = new int[request.choices()];
			int open = request.choices();
			while (open > 0) {
				ChoiceEvent choice = (ChoiceEvent) events.take();
				Object event = choice.event();
				if (event instanceof Piece piece) {
					String content = request.tools().isEmpty() ? piece.text()
							: tools[choice.index()].accept(piece.text());
					boolean withLogprobs = request.logprobs() && !piece.logprobs().isEmpty();
					if (!content.isEmpty() || piece.text().isEmpty() || withLogprobs) {
						ObjectNode chunk = OpenAiResponses.chunk(id, created, modelName, choice.index(), null, content,
								null);
						if (withLogprobs) {
							// As OpenAI streams them: each delta carries the log-probabilities of its own tokens.
							((ObjectNode) chunk.get("choices").get(0)).set("logprobs",
									OpenAiResponses.logprobs(piece.logprobs()));
							logprobsSent[choice.index()] += piece.logprobs().size();
						}
						send(emitter, chunk);
					}
				}
				else if (event instanceof Generation generation) {
					FinishReason finish = generation.finishReason();
					if (!request.tools().isEmpty()) {
						finish = sendToolCalls(emitter, request, tools[choice.index()], generation, id, created,
								choice.index(), finish);
					}
					ObjectNode last = OpenAiResponses.chunk(id, created, modelName, choice.index(), null, null, finish);
					if (request.logprobs()) {
						// Those of tokens no delta carried yet (a model that does not stream them: all of them).
						List<TokenLogprob> all = generation.logprobs();
						((ObjectNode) last.get("choices").get(0)).set("logprobs", OpenAiResponses.logprobs(
								all.subList(Math.min(logprobsSent[choice.index()], all.size()), all.size())));
					}
					send(emitter, last);
					finished[choice.index()] = generation;
					open--;
				}
				else {
					send(emitter, OpenAiResponses.error(ApiErrors.toApiException((Throwable) event)));
					clientGone.run();
					break;
				}
			}
			if (open == 0 && request.includeUsage()) {
				send(emitter, OpenAiResponses.usageChunk(id, created, modelName, List.of(finished)));
			}
			emitter.send(DONE, EVENT_STREAM);
			emitter.complete();
		}
		catch (IOException | IllegalStateException e) {
			// The write failed (the client closed the connection) or the container already ended the response.
			clientGone.run();
		}
		catch (InterruptedException e) {
			clientGone.run();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * At the end of a choice with tools offered: its calls as one {@code tool_calls} delta, or, when the held-back
	 * text was no call after all, that text as content.
	 * @return the finish reason: {@code tool_calls} when calls were sent
	 */
	private FinishReason sendToolCalls(ResponseBodyEmitter emitter, ChatRequest request, ToolCallStream stream,
			Generation generation, String id, long created, int index, FinishReason finish) throws IOException {
		ToolCalling.Parsed parsed = ToolCalling.parse(generation.text(), request.tools());
		String rest = stream.rest();
		if (parsed.calls().isEmpty()) {
			if (!rest.isEmpty()) {
				send(emitter, OpenAiResponses.chunk(id, created, modelName, index, null, rest, null));
			}
			return finish;
		}
		ObjectNode chunk = OpenAiResponses.chunk(id, created, modelName, index, null, null, null);
		((ObjectNode) chunk.get("choices").get(0).get("delta")).set("tool_calls",
				OpenAiResponses.toolCalls(parsed.calls(), true));
		send(emitter, chunk);
		return FinishReason.TOOL_CALLS;
	}

	/** A streamed piece, finished generation or failure of choice {@code index}. */
	private record ChoiceEvent(int index, Object event) {
	}

	/** Text of one step of a choice and the log-probabilities of the tokens that made it. */
	private record Piece(String text, List<TokenLogprob> logprobs) {
	}

	/**
	 * Submits one generation per choice ({@code n}), as one job whose choices share the prompt's prefill; with a
	 * seed, choice i samples with seed + i so the choices differ yet repeat. A refusal (queue full) takes none.
	 */
	private List<CompletableFuture<Generation>> submitChoices(ChatRequest request,
			IntFunction<TokenListener> listeners) {
		List<GenerationOptions> choices = new ArrayList<>();
		for (int i = 0; i < request.choices(); i++) {
			GenerationOptions options = request.options();
			if (i > 0 && options.seed().isPresent()) {
				options = options.withSeed(options.seed().getAsLong() + i);
			}
			choices.add(options);
		}
		return scheduler.submitChoices(request.conversation(), choices, listeners);
	}

	private static void send(ResponseBodyEmitter emitter, JsonNode chunk) throws IOException {
		emitter.send(("data: " + OpenAiResponses.JSON.writeValueAsString(chunk) + "\n\n")
			.getBytes(StandardCharsets.UTF_8), EVENT_STREAM);
	}

	private static Generation await(CompletableFuture<Generation> result) {
		try {
			return result.get();
		}
		catch (ExecutionException e) {
			throw ApiErrors.toApiException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			result.cancel(false);
			throw new ApiException(503, "server_error", null, "interrupted", "the request was interrupted");
		}
	}

}
