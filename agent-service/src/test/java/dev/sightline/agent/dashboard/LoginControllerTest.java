package dev.sightline.agent.dashboard;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LoginControllerTest {

	@ParameterizedTest
	@ValueSource(strings = { "/\t/evil.com", "//evil.com", "/\\evil.com",
			"\\\\evil.com", "https://evil.com/", "http:/evil.com", "javascript:alert(1)", "/\n/evil.com",
			"/\r\n//evil.com", "evil.com", "", "/login?next=//evil.com", "/ /evil.com", "/\u3000/evil.com",
			"/tasks\u0000" })
	void refusesEverythingButASameSitePath(String next) {
		assertThat(LoginController.safeNext(next)).isEqualTo("/tasks");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/tasks", "/tasks/abc?status=running", "/system", "/playground#x", "/%09/still-a-path" })
	void keepsAPathOfThisSite(String next) {
		assertThat(LoginController.safeNext(next)).isEqualTo(next);
	}

}
