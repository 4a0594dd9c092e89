package dev.sightline.modelserver;

import dev.sightline.vision.batching.SchedulerClosedException;
import dev.sightline.vision.batching.QueueFullException;
import dev.sightline.vision.batching.Scheduler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

import dev.sightline.net.HostResolver;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.preprocess.InvalidImageException;

/**
 * {@code POST /v1/chat/completions}. Text produced on the scheduler thread is handed over through a queue and
 * written here, on the request's own virtual thread, so a slow client never stalls the batch; a failed write marks
 * the client gone and the next token cancels its generation.
 */
final class ChatCompletionHandler {

	private final String modelName;

	private final ServerOptions options;

	private final ChatRequestParser parser;

	private final Scheduler scheduler;

	ChatCompletionHandler(String modelName, ServerOptions options, Scheduler scheduler, HostResolver resolver) {
		this.modelName = modelName;
		this.options = options;
		this.parser = new ChatRequestParser(modelName, options, resolver);
		this.scheduler = scheduler;
	}

	void handle(HttpExchange exchange) throws IOException {
		HttpExchanges.requireMethod(exchange, "POST");
		HttpExchanges.authorize(exchange, options.apiKey());
		JsonNode body = HttpExchanges.readJson(exchange, options.maxRequestBytes());
		ChatRequest request = parser.parse(body);
		String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
		long created = System.currentTimeMillis() / 1000;
		if (request.stream()) {
			stream(exchange, request, id, created);
		}
		else {
			CompletableFuture<Generation> result = scheduler.submit(request.conversation(), request.options(),
					piece -> true);
			Generation generation = await(result);
			HttpExchanges.sendJson(exchange, 200, OpenAiResponses.completion(id, created, modelName, generation,
					request.returnTokenIds()));
		}
	}

	private void stream(HttpExchange exchange, ChatRequest request, String id, long created) throws IOException {
		BlockingQueue<Object> events = new LinkedBlockingQueue<>();
		ClientState client = new ClientState();
		CompletableFuture<Generation> result = scheduler.submit(request.conversation(), request.options(), piece -> {
			if (client.gone) {
				return false;
			}
			events.add(piece);
			return true;
		});
		result.whenComplete((generation, failure) -> events.add(failure != null ? failure : generation));
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
		exchange.getResponseHeaders().set("Cache-Control", "no-cache");
		exchange.sendResponseHeaders(200, 0);
		try (OutputStream out = exchange.getResponseBody()) {
			send(out, OpenAiResponses.chunk(id, created, modelName, "assistant", "", null));
			while (true) {
				Object event = events.take();
				if (event instanceof String piece) {
					send(out, OpenAiResponses.chunk(id, created, modelName, null, piece, null));
				}
				else if (event instanceof Generation generation) {
					send(out, OpenAiResponses.chunk(id, created, modelName, null, null,
							OpenAiResponses.finishReason(generation)));
					if (request.includeUsage()) {
						send(out, OpenAiResponses.usageChunk(id, created, modelName, generation));
					}
					break;
				}
				else {
					ApiException error = toApiException(unwrap((Throwable) event));
					send(out, OpenAiResponses.error(error));
					break;
				}
			}
			out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
			out.flush();
		}
		catch (IOException e) {
			// The client went away: stop the generation at its next token, or before it starts.
			client.gone = true;
			result.cancel(false);
		}
		catch (InterruptedException e) {
			client.gone = true;
			result.cancel(false);
			Thread.currentThread().interrupt();
		}
	}

	private static void send(OutputStream out, JsonNode chunk) throws IOException {
		out.write(("data: " + OpenAiResponses.JSON.writeValueAsString(chunk) + "\n\n")
			.getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	private static Generation await(CompletableFuture<Generation> result) {
		try {
			return result.get();
		}
		catch (ExecutionException e) {
			throw toApiException(unwrap(e));
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			result.cancel(false);
			throw new ApiException(503, "server_error", null, "interrupted", "the request was interrupted");
		}
	}

	private static Throwable unwrap(Throwable t) {
		while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
				&& t.getCause() != null) {
			t = t.getCause();
		}
		return t;
	}

	/** Input the model refused is the client's fault (400); anything else is ours (500). */
	static ApiException toApiException(Throwable t) {
		if (t instanceof ApiException api) {
			return api;
		}
		if (t instanceof QueueFullException full) {
			return ApiException.queueFull(full);
		}
		if (t instanceof SchedulerClosedException) {
			return new ApiException(503, "server_error", null, "shutting_down", "the model server is shutting down");
		}
		if (t instanceof InvalidImageException || t instanceof IllegalArgumentException) {
			return ApiException.invalid("messages", t.getMessage());
		}
		return new ApiException(500, "server_error", null, "model_error",
				"the model failed: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
	}

	private static final class ClientState {

		volatile boolean gone;

	}

}
