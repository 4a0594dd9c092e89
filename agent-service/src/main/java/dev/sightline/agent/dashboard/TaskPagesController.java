package dev.sightline.agent.dashboard;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.sightline.agent.approval.ApprovalDecision;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.model.ModelUnavailableException;
import dev.sightline.agent.security.CurrentTenant;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskException;
import dev.sightline.agent.task.TaskRequest;
import dev.sightline.agent.task.TaskService;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.web.ProblemStatus;

/** The tasks list with its submit form, the live task detail and the replay page, all for the session's tenant. */
@Controller
class TaskPagesController {

	/** Rows of one page of the list. */
	static final int PAGE_SIZE = 20;

	private final TaskService tasks;

	private final ModelBackend model;

	private final Validator validator;

	private final DashboardFormat format;

	TaskPagesController(TaskService tasks, ModelBackend model, Validator validator, DashboardFormat format) {
		this.tasks = tasks;
		this.model = model;
		this.validator = validator;
		this.format = format;
	}

	@GetMapping("/")
	String home() {
		return "redirect:/tasks";
	}

	@GetMapping("/tasks")
	String list(@CurrentTenant String tenant,
			@RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "0") int page,
			Model view) {
		listModel(tenant, status, page, view);
		view.addAttribute("form", TaskForm.empty());
		return "dashboard/tasks";
	}

	/** The rows alone, which the list page re-fetches every few seconds to stay live. */
	@GetMapping("/tasks/rows")
	String rows(@CurrentTenant String tenant,
			@RequestParam(required = false) @Nullable String status, @RequestParam(defaultValue = "0") int page,
			Model view) {
		listModel(tenant, status, page, view);
		return "dashboard/tasks :: rows";
	}

	@PostMapping("/tasks")
	String submit(@CurrentTenant String tenant, @ModelAttribute("form") TaskForm form,
			HttpServletResponse response, Model view) {
		List<String> errors;
		try {
			TaskRequest request = form.toRequest();
			Set<ConstraintViolation<TaskRequest>> violations = validator.validate(request);
			if (violations.isEmpty()) {
				Task task = tasks.submit(tenant, request);
				return "redirect:/tasks/" + task.id();
			}
			errors = violations.stream().map(ConstraintViolation::getMessage).distinct().sorted().toList();
			response.setStatus(HttpStatus.BAD_REQUEST.value());
		}
		catch (IllegalArgumentException e) {
			errors = List.of(e.getMessage());
			response.setStatus(HttpStatus.BAD_REQUEST.value());
		}
		catch (TaskException e) {
			errors = List.of(e.getMessage());
			response.setStatus(ProblemStatus.of(e).value());
		}
		catch (ModelUnavailableException e) {
			errors = List.of("The model is unavailable: " + e.state().reason() + ". Fix: " + e.state().fix());
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		}
		listModel(tenant, null, 0, view);
		view.addAttribute("formErrors", errors);
		return "dashboard/tasks";
	}

	@GetMapping("/tasks/{id}")
	String detail(@CurrentTenant String tenant, @PathVariable String id, Model view) {
		detailModel(tenant, id, view);
		return "dashboard/task";
	}

	@GetMapping("/tasks/{id}/summary")
	String summary(@CurrentTenant String tenant, @PathVariable String id, Model view) {
		view.addAttribute("task", tasks.get(tenant, id));
		view.addAttribute("approvalReason", tasks.approvalReason(tenant, id).orElse(null));
		return "dashboard/task :: summary";
	}

	@GetMapping("/tasks/{id}/timeline")
	String timeline(@CurrentTenant String tenant, @PathVariable String id, Model view) {
		detailModel(tenant, id, view);
		return "dashboard/task :: timeline";
	}

	@PostMapping("/tasks/{id}/cancel")
	String cancel(@CurrentTenant String tenant, @PathVariable String id,
			RedirectAttributes redirect) {
		return backToTask(id, redirect, () -> {
			tasks.cancel(tenant, id);
			return "Cancel requested; the task stops after its current phase.";
		});
	}

	@PostMapping("/tasks/{id}/approve")
	String approve(@CurrentTenant String tenant, @PathVariable String id,
			RedirectAttributes redirect) {
		return decide(tenant, id, true, redirect);
	}

	@PostMapping("/tasks/{id}/reject")
	String reject(@CurrentTenant String tenant, @PathVariable String id,
			RedirectAttributes redirect) {
		return decide(tenant, id, false, redirect);
	}

	private String decide(String tenant, String id, boolean approved, RedirectAttributes redirect) {
		return backToTask(id, redirect, () -> {
			tasks.decide(tenant, id, new ApprovalDecision(approved, "from the dashboard"));
			return approved ? "Approved; the task goes on." : "Rejected; the task stops as failed.";
		});
	}

	/**
	 * Runs an operation on a task and goes back to its page with a notice: what the operation says it did, or why the
	 * task refused it (e.g. it already ended). A task the tenant cannot see stays a 404, not a notice.
	 */
	private static String backToTask(String id, RedirectAttributes redirect, Supplier<String> operation) {
		try {
			redirect.addFlashAttribute("notice", operation.get());
		}
		catch (TaskException.NotFound e) {
			throw e;
		}
		catch (TaskException e) {
			redirect.addFlashAttribute("notice", e.getMessage());
		}
		return "redirect:/tasks/" + id;
	}

	@GetMapping("/tasks/{id}/replay")
	String replay(@CurrentTenant String tenant, @PathVariable String id, Model view) {
		detailModel(tenant, id, view);
		return "dashboard/replay";
	}

	private void detailModel(String tenant, String id, Model view) {
		Task task = tasks.get(tenant, id);
		List<Step> steps = tasks.steps(tenant, id);
		Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
		view.addAttribute("task", task);
		view.addAttribute("approvalReason", tasks.approvalReason(tenant, id).orElse(null));
		view.addAttribute("steps", steps);
		view.addAttribute("lastShotUrl", last == null || last.screenshotBytes() == 0 ? null
				: "/api/v1/tasks/" + id + "/steps/" + last.n() + "/screenshot");
		view.addAttribute("lastMarker", last == null ? null : format.marker(last));
		view.addAttribute("secretNames", TaskService.secretNames(task));
	}

	private void listModel(String tenant, @Nullable String status, int page, Model view) {
		TaskStatus filter = null;
		if (status != null && !status.isBlank()) {
			try {
				filter = TaskStatus.fromWire(status);
			}
			catch (IllegalArgumentException e) {
				throw new TaskException.Invalid(e.getMessage());
			}
		}
		TaskStore.TaskPage result = tasks.list(tenant, filter, Math.max(0, page), PAGE_SIZE);
		view.addAttribute("page", result);
		view.addAttribute("pages", Math.max(1, (result.total() + PAGE_SIZE - 1) / PAGE_SIZE));
		view.addAttribute("status", filter == null ? "" : filter.wireName());
		view.addAttribute("statuses", Arrays.stream(TaskStatus.values()).map(TaskStatus::wireName).toList());
		view.addAttribute("modelState", model.state());
		view.addAttribute("secretRows", TaskForm.SECRET_ROWS);
	}

}
