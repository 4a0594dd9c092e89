package dev.sightline.agent.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.sightline.agent.config.AgentSettings;
import dev.sightline.agent.config.ModelSettings;
import dev.sightline.agent.model.ModelBackend;
import dev.sightline.agent.queue.TaskQueue;

/**
 * The system page: model backend and its state, the in-process model's scheduler (queue, batch sizes, decode gap),
 * workers, queue depth, version.
 */
@Controller
class SystemController {

	private final ModelBackend model;

	private final ModelSettings modelSettings;

	private final TaskQueue queue;

	private final AgentSettings agent;

	SystemController(ModelBackend model, ModelSettings modelSettings, TaskQueue queue, AgentSettings agent) {
		this.model = model;
		this.modelSettings = modelSettings;
		this.queue = queue;
		this.agent = agent;
	}

	@GetMapping("/system")
	String system(Model view) {
		fill(view);
		return "dashboard/system";
	}

	/** The figures alone, re-fetched every few seconds. */
	@GetMapping("/system/status")
	String status(Model view) {
		fill(view);
		return "dashboard/system :: status";
	}

	private void fill(Model view) {
		view.addAttribute("modelState", model.state());
		view.addAttribute("modelSettings", modelSettings);
		view.addAttribute("runtime", model.loadedRuntime().orElse(null));
		view.addAttribute("scheduler", model.scheduler().orElse(null));
		view.addAttribute("workers", agent.concurrency());
		view.addAttribute("running", queue.running());
		view.addAttribute("waiting", queue.waiting());
		view.addAttribute("queueCapacity", agent.queueCapacity());
		view.addAttribute("javaVersion", Runtime.version().toString());
	}

}
