package dev.sightline.agent.dashboard;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.sightline.agent.security.ApiKeys;

/** Login with an API key (the session then stands for the key's tenant) and logout. */
@Controller
class LoginController {

	private final ApiKeys keys;

	LoginController(ApiKeys keys) {
		this.keys = keys;
	}

	@GetMapping("/login")
	String form(@RequestParam(required = false) @Nullable String next, Model model) {
		if (keys.isEmpty()) {
			return "redirect:/tasks";
		}
		model.addAttribute("next", safeNext(next));
		return "dashboard/login";
	}

	@PostMapping("/login")
	String logIn(@RequestParam(defaultValue = "") String apiKey, @RequestParam(required = false) @Nullable String next,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		if (keys.isEmpty()) {
			return "redirect:/tasks";
		}
		Optional<String> tenant = apiKey.isBlank() ? Optional.empty() : keys.tenantOf(apiKey.strip());
		if (tenant.isEmpty()) {
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			model.addAttribute("next", safeNext(next));
			model.addAttribute("error", apiKey.isBlank() ? "Enter an API key."
					: "That API key is not valid. Keys are configured in sightline.security.api-keys as tenant=key.");
			return "dashboard/login";
		}
		DashboardSession.logIn(request, tenant.get());
		return "redirect:" + safeNext(next);
	}

	@PostMapping("/logout")
	String logOut(HttpServletRequest request) {
		DashboardSession.logOut(request);
		return keys.isEmpty() ? "redirect:/tasks" : "redirect:/login";
	}

	/** Only a path of this site: never an open redirect to another host. */
	static String safeNext(@Nullable String next) {
		if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
				|| next.startsWith("/login")) {
			return "/tasks";
		}
		return next;
	}

}
