package dev.sightline.agent.dashboard;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.agent.task.TaskRequest;
import dev.sightline.agent.task.TaskTarget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskFormTest {

	@Test
	void makesABrowserRequestWithSecretsFromFilledRowsOnly() {
		TaskForm form = new TaskForm(" Log in as {{user}} ", "browser", "https://example.com", ":99", 1024, null, 5,
				null, List.of("user", "", ""), List.of("alice", "", ""));

		TaskRequest request = form.toRequest();

		assertThat(request.goal()).isEqualTo("Log in as {{user}}");
		assertThat(request.target())
			.isEqualTo(new TaskTarget.Browser("https://example.com", new TaskTarget.Viewport(1024, 720), null));
		assertThat(request.maxSteps()).isEqualTo(5);
		assertThat(request.timeoutSeconds()).isNull();
		assertThat(request.secrets()).containsExactly(
				java.util.Map.entry("user", new dev.sightline.agent.security.SecretInput.Plain("alice")));
	}

	@Test
	void makesADesktopRequestWithoutViewportOrSecrets() {
		TaskForm form = new TaskForm("Open the terminal", "desktop", "", ":42", null, null, null, null, null, null);

		TaskRequest request = form.toRequest();

		assertThat(request.target()).isEqualTo(new TaskTarget.Desktop(":42"));
		assertThat(request.secrets()).isNull();
	}

	@Test
	void rejectsASecretValueWithoutAName() {
		TaskForm form = new TaskForm("g", "browser", "https://example.com", "", null, null, null, null,
				List.of("", ""), List.of("", "hunter2"));

		assertThatThrownBy(form::toRequest).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("secret row 2 has a value but no name");
	}

	@Test
	void neverRedirectsLoginToAnotherHost() {
		assertThat(LoginController.safeNext("/tasks/abc?x=1")).isEqualTo("/tasks/abc?x=1");
		assertThat(LoginController.safeNext("//evil.example/x")).isEqualTo("/tasks");
		assertThat(LoginController.safeNext("https://evil.example/")).isEqualTo("/tasks");
		assertThat(LoginController.safeNext("/\\evil.example")).isEqualTo("/tasks");
		assertThat(LoginController.safeNext(null)).isEqualTo("/tasks");
	}

	@Test
	void neverPrintsSecretValues() {
		TaskForm form = new TaskForm("Log in as {{user}}", "browser", "https://example.com", null, null, null, null,
				null, List.of("user", "pin"), List.of("hunter2-secret-value", "4711"));

		assertThat(form.toString()).contains("user", "pin")
			.doesNotContain("hunter2-secret-value")
			.doesNotContain("4711");
		assertThat(form.toRequest().toString()).doesNotContain("hunter2-secret-value").doesNotContain("4711");
	}

	@Test
	void makesAStructuredResultOfTheSchemaText() {
		TaskForm form = new TaskForm("Read the price", "browser", "https://example.com", null, null, null, null, null,
				null, null, "{\"type\": \"object\"}", " in euros ");

		assertThat(form.toRequest().output().schema().toString()).isEqualTo("{\"type\":\"object\"}");
		assertThat(form.toRequest().output().instructions()).isEqualTo("in euros");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TaskForm("Read", "browser", "https://example.com",
				null, null, null, null, null, null, null, "{type", null).toRequest())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageStartingWith("output schema is not JSON");
	}

}
