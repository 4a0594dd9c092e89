package dev.sightline.agent.dashboard;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.security.CurrentTenant;
import dev.sightline.agent.task.Step;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskService;

/**
 * A finished (or running) task as one self-contained HTML file to share: every step with its screenshot (downscaled
 * JPEG, marker drawn), raw model output, action and timings; no scripts, no external files.
 */
@Controller
class ReportController {

	/** Screenshots stop being embedded once the report would pass this; the steps' text stays. */
	static final long MAX_IMAGE_BYTES = 28L * 1024 * 1024;

	private final TaskService tasks;

	private final JsonMapper json;

	ReportController(TaskService tasks, JsonMapper json) {
		this.tasks = tasks;
		this.json = json;
	}

	@GetMapping("/tasks/{id}/report.html")
	String report(@CurrentTenant String tenant, @PathVariable String id,
			HttpServletResponse response, Model view) {
		Task task = tasks.get(tenant, id);
		List<ReportStep> rows = new ArrayList<>();
		long imageBytes = 0;
		int omitted = 0;
		for (Step step : tasks.steps(tenant, id)) {
			String image = null;
			if (step.screenshotBytes() > 0 && imageBytes < MAX_IMAGE_BYTES) {
				image = tasks.screenshot(tenant, id, step.n())
					.map(png -> ReportImages.dataUrl(png, StepMarker.of(step.coordinates())))
					.orElse(null);
				imageBytes += image == null ? 0 : image.length();
			}
			else if (step.screenshotBytes() > 0) {
				omitted++;
			}
			rows.add(new ReportStep(step, image, step.action() == null ? "" : json.writeValueAsString(step.action())));
		}
		view.addAttribute("task", task);
		view.addAttribute("rows", rows);
		view.addAttribute("omitted", omitted);
		view.addAttribute("totalModelMs", rows.stream().mapToDouble(r -> r.step().timings().modelMs()).sum());
		response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
				"attachment; filename=\"sightline-task-" + task.id() + ".html\"");
		return "dashboard/report";
	}

}
