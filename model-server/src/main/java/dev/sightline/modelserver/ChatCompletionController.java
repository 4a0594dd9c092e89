package dev.sightline.modelserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import tools.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import dev.sightline.vision.batching.Scheduler;
import dev.sightline.vision.chat.Generation;

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
		CompletableFuture<Generation> result = scheduler.submit(request.conversation(), request.options(),
				piece -> true);
		Generation generation = await(result);
		byte[] json = OpenAiResponses.JSON.writeValueAsBytes(
				OpenAiResponses.completion(id, created, modelName, generation, request.returnTokenIds()));
		ResponseBodyEmitter emitter = new ResponseBodyEmitter(NO_TIMEOUT);
		emitter.send(json, MediaType.APPLICATION_JSON);
		emitter.complete();
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).contentLength(json.length).body(emitter);
	}

	private ResponseEntity<ResponseBodyEmitter> stream(ChatRequest request, String id, long created) {
		BlockingQueue<Object> events = new LinkedBlockingQueue<>();
		AtomicBoolean gone = new AtomicBoolean();
		// Submitted before the answer starts: a full queue is still a 429, not an error event in a 200 stream.
		CompletableFuture<Generation> result = scheduler.submit(request.conversation(), request.options(), piece -> {
			if (gone.get()) {
				return false;
			}
			events.add(piece);
			return true;
		});
		result.whenComplete((generation, failure) -> events.add(failure != null ? failure : generation));
		// The client went away: stop the generation at its next token, or before it starts.
		Runnable clientGone = () -> {
			gone.set(true);
			result.cancel(false);
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
			send(emitter, OpenAiResponses.chunk(id, created, modelName, "assistant", "", null));
			while (true) {
				Object event = events.take();
				if (event instanceof String piece) {
					send(emitter, OpenAiResponses.chunk(id, created, modelName, null, piece, null));
				}
				else if (event instanceof Generation generation) {
					send(emitter, OpenAiResponses.chunk(id, created, modelName, null, null,
							OpenAiResponses.finishReason(generation)));
					if (request.includeUsage()) {
						send(emitter, OpenAiResponses.usageChunk(id, created, modelName, generation));
					}
					break;
				}
				else {
					send(emitter, OpenAiResponses.error(ApiErrors.toApiException((Throwable) event)));
					break;
				}
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
