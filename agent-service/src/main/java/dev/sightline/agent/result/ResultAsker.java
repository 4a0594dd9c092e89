package dev.sightline.agent.result;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.OutputRequest;
import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.task.TaskEvent;
import dev.sightline.agent.task.TaskEvents;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.security.SecretVault;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.parse.UnparseableOutputException;
import dev.sightline.tools.prompt.AgentConversation;
import dev.sightline.tools.prompt.HistoryWindow;
import dev.sightline.tools.prompt.Prompts;
import dev.sightline.tools.turn.ModelView;
import dev.sightline.tools.turn.TurnPipeline;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.tools.profile.ModelProfile;
import dev.sightline.vision.chat.Conversation;
import dev.sightline.vision.chat.Generation;
import dev.sightline.vision.chat.GenerationOptions;
import dev.sightline.vision.chat.VisionLanguageModel;

/**
 * Asks the model for a succeeded task's structured result: one more turn on the last screenshot whose goal asks for
 * the {@code answer} action with one JSON value validating against {@code output.schema} (the same answer path and
 * parser as a task's final answer). An answer that is not JSON or does not validate is re-asked with the validator's
 * messages, {@code sightline.agent.reasks} times; a result that never validates fails the task with them. The result
 * is kept as the task's {@code result} event, with any secret value in it redacted.
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

	private final ResultSchemas schemas;

	private final JsonMapper json;

	public ResultAsker(TaskStore store, TaskEvents events, ModelBackend models, SecretVault secrets,
			AgentSettings settings, ResultSchemas schemas, JsonMapper json) {
		this.store = store;
		this.events = events;
		this.models = models;
		this.secrets = secrets;
		this.settings = settings;
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
		String id = task.id();
		TaskSpec spec = task.spec();
		VisionLanguageModel model = models.model();
		ModelProfile profile = models.profile();
		int steps = store.find(id).map(Task::steps).orElse(task.steps());
		Optional<byte[]> png = steps == 0 ? Optional.empty() : store.screenshot(id, steps);
		TurnPipeline turns = new TurnPipeline(model, profile);
		// The last recorded screenshot (already masked where a secret was typed), resized once by the model's rule.
		ModelView view = png.map(bytes -> turns.view(Screenshot.ofPng(bytes, 1, Instant.now()))).orElse(null);
		ImageSize display = view == null ? new ImageSize(1280, 720) : view.size();
		AgentConversation asked = new AgentConversation(profile,
				Prompts.resultRequest(spec.goal(), finalWords, output.schema().toString(), output.instructions()), true,
				List.of(), display, HistoryWindow.DEFAULT);
		Conversation conversation = view == null ? asked.conversation() : asked.observe(1, view.image(), List.of());
		GenerationOptions options = GenerationOptions.GREEDY.withTemperature(spec.temperature())
			.withMaxNewTokens(Math.max(MIN_RESULT_TOKENS, spec.maxNewTokens() == null ? 0 : spec.maxNewTokens()));
		String problem = "";
		for (int attempt = 0; attempt <= settings.reasks(); attempt++) {
			Generation generation = model.generate(conversation, options);
			String raw = secrets.redact(id, generation.text());
			events.publish(new TaskEvent.ModelAnswered(id, steps, raw, 0, attempt, generation.promptTokens(),
					generation.completionTokens()));
			try {
				JsonNode result = json.readTree(answerText(profile, raw, display));
				List<String> messages = schemas.validate(output.schema(), result);
				if (messages.isEmpty()) {
					return result;
				}
				problem = "the result does not validate against output.schema: " + String.join("; ", messages);
			}
			catch (UnparseableOutputException e) {
				problem = "the answer holds no answer action: " + e.getMessage();
			}
			catch (JacksonException e) {
				problem = "the answer's text is not one JSON value: " + e.getOriginalMessage();
			}
			asked.answered(raw);
			conversation = asked.reask(problem);
		}
		throw new Rejected("the model reported success but its result never validated (" + (settings.reasks() + 1)
				+ " attempts); last: " + problem);
	}

	/** The text of the answer action; the raw text is already redacted, so no secret reaches the result. */
	private static String answerText(ModelProfile profile, String raw, ImageSize size) {
		for (Action action : profile.parseActions(raw, size)) {
			if (action instanceof Answer answer) {
				return answer.text();
			}
		}
		throw new UnparseableOutputException(UnparseableOutputException.Reason.INVALID_ARGUMENT,
				"expected the answer action with the JSON result as its text", raw);
	}

}
