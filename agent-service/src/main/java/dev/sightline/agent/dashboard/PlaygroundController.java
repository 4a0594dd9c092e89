package dev.sightline.agent.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.sightline.agent.model.ModelBackend;

/** The grounding playground; the page itself calls {@code POST /api/v1/ground} with its session. */
@Controller
class PlaygroundController {

	private final ModelBackend model;

	PlaygroundController(ModelBackend model) {
		this.model = model;
	}

	@GetMapping("/playground")
	String playground(Model view) {
		view.addAttribute("modelState", model.state());
		return "dashboard/playground";
	}

}
