package dev.sightline.agent.task;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.sightline.agent.security.SecretInput;

/**
 * Body of {@code POST /api/v1/tasks}. Absent optional fields take the server's defaults.
 *
 * @param goal what to do, in plain language; may refer to secrets as {@code {{name}}}
 * @param target where to act
 * @param maxSteps step limit, within [1, 500]
 * @param timeoutSeconds time limit, within [1, 86400]
 * @param model decoding options
 * @param secrets values the executor types where the model writes {@code {{name}}}; never shown to the model. A value
 * is a string, or {@code {"totp": "BASE32SEED"}} for the one-time code of the moment
 * @param allowedHosts narrows the server's allowed hosts for this task
 * @param output a structured result to return: a JSON Schema and instructions; the result is {@code GET}'s
 * {@code result}
 * @param webhook where to POST the task's {@code finished} and {@code awaiting_approval} events
 * @param files files the page's file chooser receives when the model clicks an upload control (browser tasks;
 * bounded by {@code sightline.files.*})
 */
public record TaskRequest(
		@NotBlank(message = "goal is required") @Size(max = 4000,
				message = "goal must be at most 4000 characters") String goal,
		@NotNull(message = "target is required ({\"type\": \"browser\", \"url\": ...} or {\"type\": \"desktop\", "
				+ "\"display\": ...})") @Valid TaskTarget target,
		@Nullable @Min(value = 1, message = "maxSteps must be within [1, 500]") @Max(value = 500,
				message = "maxSteps must be within [1, 500]") Integer maxSteps,
		@Nullable @Min(value = 1, message = "timeoutSeconds must be within [1, 86400]") @Max(value = 86_400,
				message = "timeoutSeconds must be within [1, 86400]") Integer timeoutSeconds,
		@Nullable @Valid ModelOptions model,
		@Nullable @Size(max = 32, message = "at most 32 secrets per task") Map<@Pattern(regexp = "[A-Za-z0-9_.-]{1,64}",
				message = "secret names must match [A-Za-z0-9_.-]{1,64}") String, @NotNull(
						message = "secret values must be 1 to 1024 characters") @Valid SecretInput> secrets,
		@Nullable @Size(max = 64, message = "at most 64 allowedHosts per task") List<@NotBlank @Size(max = 261,
				message = "allowedHosts entries must be host[:port], at most 261 characters") String> allowedHosts,
		@Nullable @Valid OutputRequest output, @Nullable @Valid WebhookRequest webhook,
		@Nullable @Size(max = 100, message = "at most 100 files per task") List<@NotNull(
				message = "files entries must be objects") @Valid FileInput> files) {

	/** A request without input files. */
	public TaskRequest(String goal, TaskTarget target, @Nullable Integer maxSteps, @Nullable Integer timeoutSeconds,
			@Nullable ModelOptions model, @Nullable Map<String, SecretInput> secrets,
			@Nullable List<String> allowedHosts, @Nullable OutputRequest output, @Nullable WebhookRequest webhook) {
		this(goal, target, maxSteps, timeoutSeconds, model, secrets, allowedHosts, output, webhook, null);
	}

	/** The same request with {@code more} files attached after its own (a multipart submit's file parts). */
	public TaskRequest withFiles(List<FileInput> more) {
		List<FileInput> all = new java.util.ArrayList<>(files == null ? List.of() : files);
		all.addAll(more);
		return new TaskRequest(goal, target, maxSteps, timeoutSeconds, model, secrets, allowedHosts, output, webhook,
				all);
	}

	/** A request without a structured result. */
	public TaskRequest(String goal, TaskTarget target, @Nullable Integer maxSteps, @Nullable Integer timeoutSeconds,
			@Nullable ModelOptions model, @Nullable Map<String, SecretInput> secrets,
			@Nullable List<String> allowedHosts) {
		this(goal, target, maxSteps, timeoutSeconds, model, secrets, allowedHosts, null, null, null);
	}

	/**
	 * Decoding options of one task.
	 *
	 * @param temperature 0 for greedy, within [0, 2]
	 * @param maxNewTokens upper bound on generated tokens per step, within [16, 8192]
	 */
	public record ModelOptions(
			@Nullable @DecimalMin(value = "0", message = "model.temperature must be within [0, 2]") @DecimalMax(
					value = "2", message = "model.temperature must be within [0, 2]") Double temperature,
			@Nullable @Min(value = 16, message = "model.maxNewTokens must be within [16, 8192]") @Max(value = 8192,
					message = "model.maxNewTokens must be within [16, 8192]") Integer maxNewTokens) {
	}

	@Override
	public String toString() {
		// Never print secret values.
		return "TaskRequest[goal=" + goal + ", target=" + target + ", secrets="
				+ (secrets == null ? "[]" : secrets.keySet()) + ", files=" + files + "]";
	}

}
