package dev.sightline.agent.result;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.task.OutputRequest;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.parse.JsonText;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.tools.turn.TurnPipeline;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.ImagePart;
import dev.sightline.vision.chat.Message;
import dev.sightline.vision.chat.TextPart;
import dev.sightline.vision.chat.VisionLanguageModel;
import dev.sightline.vision.constrain.JsonGrammar;

/**
 * Asks the model for a succeeded task's structured result: one more turn, on the last screenshot, answered with one
 * bare JSON value valid against {@code output.schema} ({@link Prompts#result}). Where the schema lies within what
 * constrained decoding enforces ({@link JsonGrammar#enforceable}), the answer is decoded into it — in process by a
 * token mask, from an endpoint as {@code response_format: json_schema} — so it is schema-valid by construction; it
 * is validated all the same (an endpoint may ignore the format, and keywords such as {@code minimum} are the
 * validator's alone). An answer that is not JSON or does not validate is re-asked with the validator's messages,
 * {@code sightline.agent.reasks} times; a result that never validates fails the task with them, and so does a turn
 * that takes longer than {@code sightline.result.timeout}. The result is kept as the task's {@code result} event,
 * with any secret value in it redacted.
 */
public class ResultAsker implements EndOfTask {

	private static final Logger log = LoggerFactory.getLogger(ResultAsker.class);

	/** Room for a result larger than one step's action. */
	static final int MIN_RESULT_TOKENS = 1024;

	private final TaskStore store;

	private final TaskEvents events;

	private final ModelBackend models;

	private final SecretVault secrets;

	private final AgentSettings settings;

	private final ResultSettings resultSettings;

	private final ResultSchemas schemas;

	private final JsonMapper json;

	public ResultAsker(TaskStore store, TaskEvents events, ModelBackend models, SecretVault secrets,
			AgentSettings settings, ResultSettings resultSettings, ResultSchemas schemas, JsonMapper json) {
		this.store = store;
		this.events = events;
		this.models = models;
		this.secrets = secrets;
		this.settings = settings;
		this.resultSettings = resultSettings;
		this.schemas = schemas;
		this.json = json;
	}

	@Override
	public Ending beforeFinish(Task task, TaskStatus status, @Nullable String message) {
		OutputRequest output = task.spec().output();
		if (status != TaskStatus.SUCCEEDED || output == null) {
			return new Ending(status, message);
		}
		try {
			JsonNode result = ask(task, output, message);
			events.publish(new TaskEvent.ResultRecorded(task.id(), result));
			return new Ending(status, message);
		}
		catch (Rejected e) {
			return new Ending(TaskStatus.FAILED, e.getMessage());
		}
		catch (RuntimeException e) {
			log.warn("task {}: asking for the result failed", task.id(), e);
			return new Ending(TaskStatus.FAILED, secrets.redact(task.id(), "the task succeeded but asking the model for "
					+ "its result failed: " + e.getMessage()));
		}
	}

	private static final class Rejected extends Exception {

		Rejected(String message) {
			super(message, null, false, false);
		}

	}

	private JsonNode ask(Task task, OutputRequest output, @Nullable String finalWords) throws Rejected {
		long deadlineNanos = System.nanoTime() + resultSettings.timeout().toNanos();
		String id = task.id();
		TaskSpec spec = task.spec();
		VisionLanguageModel model = models.model();
		int steps = store.find(id).map(Task::steps).orElse(task.steps());
		Optional<byte[]> png = steps == 0 ? Optional.empty() : store.screenshot(id, steps);
		TurnPipeline turns = new TurnPipeline(model, models.profile());
		// The last recorded screenshot (already masked where a secret was typed), resized once by the model's rule.
		ImagePart screenshot = png.map(bytes -> turns.view(Screenshot.ofPng(bytes, 1, Instant.now())).image())
			.orElse(null);
		String schemaJson = output.schema().toString();
		List<Message> messages = new ArrayList<>(Prompts.result(spec.goal(), finalWords, schemaJson,
				output.instructions(), screenshot).messages());
		GenerationOptions options = GenerationOptions.GREEDY.withTemperature(spec.temperature())
			.withMaxNewTokens(Math.max(MIN_RESULT_TOKENS, spec.maxNewTokens() == null ? 0 : spec.maxNewTokens()));
		Optional<JsonGrammar> grammar = JsonGrammar.enforceable(schemaJson);
		if (grammar.isPresent()) {
			options = options.withFormat(grammar.get());
		}
		String problem = "";
		for (int attempt = 0; attempt <= settings.reasks(); attempt++) {
			Generation generation = generate(id, model, new Conversation(messages), options, deadlineNanos);
			String raw = secrets.redact(id, generation.text());
			events.publish(new TaskEvent.ModelAnswered(id, steps, raw, 0, attempt, generation.promptTokens(),
					generation.completionTokens()));
			try {
				JsonNode result = read(raw);
				List<String> problems = schemas.validate(output.schema(), result);
				if (problems.isEmpty()) {
					return result;
				}
				problem = "the result does not validate against output.schema: " + String.join("; ", problems);
			}
			catch (JacksonException e) {
				problem = "the answer is not one JSON value: " + e.getOriginalMessage();
			}
			messages.add(Message.assistant(raw));
			messages.add(Message.user(new TextPart(Prompts.reaskJson(problem))));
		}
		throw new Rejected("the model reported success but its result never validated (" + (settings.reasks() + 1)
				+ " attempts); last: " + problem);
	}

	/**
	 * The answer as JSON: exact under a grammar; a free answer may wrap the value in a fence or a sentence. The raw
	 * text is already redacted, so no secret reaches the result.
	 */
	private JsonNode read(String raw) {
		return JsonText.parse(raw, json::readTree);
	}

	/**
	 * One model call within what is left of {@code sightline.result.timeout}: past it the generation is told to stop
	 * (an in-process one frees its place in the batch at its next token) and its thread interrupted (a remote call
	 * is abandoned).
	 */
	private Generation generate(String id, VisionLanguageModel model, Conversation conversation,
			GenerationOptions options, long deadlineNanos) throws Rejected {
		long leftNanos = deadlineNanos - System.nanoTime();
		if (leftNanos <= 0) {
			throw timedOut();
		}
		AtomicBoolean over = new AtomicBoolean();
		CompletableFuture<Generation> call = new CompletableFuture<>();
		Thread thread = Thread.ofVirtual().name("result-" + id).start(() -> {
			try {
				call.complete(model.generate(conversation, options, piece -> !over.get()));
			}
			catch (Throwable e) {
				call.completeExceptionally(e);
			}
		});
		try {
			Generation generation = call.get(leftNanos, TimeUnit.NANOSECONDS);
			if (over.get()) {
				throw timedOut();
			}
			return generation;
		}
		catch (TimeoutException e) {
			over.set(true);
			thread.interrupt();
			throw timedOut();
		}
		catch (ExecutionException e) {
			if (e.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(e.getCause());
		}
		catch (InterruptedException e) {
			over.set(true);
			thread.interrupt();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while asking the model for the result");
		}
	}

	private Rejected timedOut() {
		return new Rejected("the task succeeded but asking the model for its result took longer than "
				+ ResultSettings.PREFIX + ".timeout (" + resultSettings.timeout() + ")");
	}

}
