package dev.sightline.agent.dashboard;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sightline.agent.security.SecretInput;
import dev.sightline.agent.task.TaskRequest;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.agent.task.WebhookRequest;

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
	void makesATotpSeedOfATickedSecretRowAndAWebhook() {
		TaskForm form = new TaskForm("Log in with {{pw}} and {{otp}}", "browser", "https://example.com", null, null,
				null, null, null, List.of("pw", "otp", ""), List.of("hunter2", "JBSWY3DPEHPK3PXP", ""), null, null,
				List.of(1), " https://ci.example.com/hook ", List.of("finished"));

		TaskRequest request = form.toRequest();

		assertThat(request.secrets()).containsExactly(Map.entry("pw", new SecretInput.Plain("hunter2")),
				Map.entry("otp", new SecretInput.TotpSeed("JBSWY3DPEHPK3PXP", null, null, null)));
		assertThat(request.webhook()).isEqualTo(new WebhookRequest("https://ci.example.com/hook", List.of("finished")));
		assertThat(form.totpRow(1)).isTrue();
		assertThat(form.totpRow(0)).isFalse();
		assertThat(form.toString()).doesNotContain("JBSWY3DPEHPK3PXP").doesNotContain("hunter2");
		assertThat(new TaskForm("g", "browser", "https://example.com", null, null, null, null, null, null, null, null,
				null, null, "", null).toRequest().webhook()).as("no URL, no webhook").isNull();
	}

	@Test
	void refusesATickedSeedWithoutValueAndEventsWithoutAUrl() {
		TaskForm emptySeed = new TaskForm("g", "browser", "https://example.com", null, null, null, null, null,
				List.of("otp"), List.of(""), null, null, List.of(0), null, null);
		TaskForm eventsOnly = new TaskForm("g", "browser", "https://example.com", null, null, null, null, null, null,
				null, null, null, null, " ", List.of("finished"));

		assertThatThrownBy(emptySeed::toRequest).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("secret 'otp' is marked as a one-time code seed but has no value");
		assertThatThrownBy(eventsOnly::toRequest).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("webhook events are ticked but webhook.url is empty");
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
