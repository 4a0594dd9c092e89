package dev.sightline.agent.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

import dev.sightline.agent.SightlineApplication;
import dev.sightline.agent.model.ModelUnavailableException;
import dev.sightline.agent.security.ApiKeys;
import dev.sightline.agent.security.SecurityConfiguration;
import dev.sightline.agent.task.TaskException;
import dev.sightline.agent.web.ProblemStatus;

/**
 * What every dashboard page gets (CSRF token, tenant, mode, version) and how the pages show errors: as a page that
 * says what went wrong and what to do, not as the API's problem JSON.
 */
@ControllerAdvice(basePackageClasses = DashboardPages.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DashboardPages {

	private final ApiKeys keys;

	DashboardPages(ApiKeys keys) {
		this.keys = keys;
	}

	static String version() {
		String version = SightlineApplication.class.getPackage().getImplementationVersion();
		return version == null ? "development build" : version;
	}

	@ModelAttribute
	void common(HttpServletRequest request, Model model) {
		// Spring Security's token for this session (CsrfFilter puts it on every request of the dashboard's chain).
		if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken csrf) {
			model.addAttribute("csrfToken", csrf.getToken());
			model.addAttribute("csrfParameter", csrf.getParameterName());
			model.addAttribute("csrfHeader", csrf.getHeaderName());
		}
		model.addAttribute("localMode", keys.isEmpty());
		model.addAttribute("tenant",
				SecurityConfiguration.tenantOf(SecurityContextHolder.getContext().getAuthentication()).orElse(null));
		model.addAttribute("version", version());
		model.addAttribute("path", request.getRequestURI());
	}

	@ExceptionHandler(TaskException.class)
	String taskProblem(TaskException e, HttpServletRequest request, HttpServletResponse response, Model model) {
		common(request, model);
		HttpStatus status = ProblemStatus.of(e);
		boolean notFound = e instanceof TaskException.NotFound;
		response.setStatus(status.value());
		model.addAttribute("status", status.value());
		model.addAttribute("title", notFound ? "Not found" : status.getReasonPhrase());
		model.addAttribute("detail", e.getMessage());
		model.addAttribute("fix",
				notFound ? "It may belong to another tenant, or retention removed it. Go back to the task list." : "");
		return "dashboard/error";
	}

	@ExceptionHandler(ModelUnavailableException.class)
	String modelUnavailable(ModelUnavailableException e, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		common(request, model);
		response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
		model.addAttribute("status", HttpStatus.SERVICE_UNAVAILABLE.value());
		model.addAttribute("title", "Model unavailable");
		model.addAttribute("detail", e.state().backend() + " model '" + e.state().name() + "': " + e.state().reason());
		model.addAttribute("fix", e.state().fix());
		return "dashboard/error";
	}

}
