package dev.sightline.agent.loop;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskTarget;

import static org.assertj.core.api.Assertions.assertThat;

class SecretOriginsTest {

	private static TaskSpec spec(String startUrl, List<String> allowedHosts) {
		return new TaskSpec("log in with {{password}}", new TaskTarget.Browser(startUrl, null, null), 5, 60, 0, null,
				List.of("password"), allowedHosts);
	}

	@Test
	void withoutAllowedHostsSecretsStayOnTheStartPagesHost() {
		TaskSpec spec = spec("https://shop.example.com/login", List.of());

		assertThat(SecretOrigins.refusal(spec, Optional.of("https://shop.example.com/account"))).isNull();
		assertThat(SecretOrigins.refusal(spec, Optional.of("https://evil.example.net/login")))
			.isEqualTo("a secret may only be typed into pages of shop.example.com (the task's allowedHosts, else its "
					+ "start page's host); the page is https://evil.example.net");
		assertThat(SecretOrigins.refusal(spec, Optional.of("https://shop.example.com.evil.net/"))).isNotNull();
	}

	@Test
	void theTasksAllowedHostsBindItsSecrets() {
		TaskSpec spec = spec("https://shop.example.com/", List.of("accounts.example.com", "127.0.0.1:8080"));

		assertThat(SecretOrigins.refusal(spec, Optional.of("https://accounts.example.com/signin"))).isNull();
		assertThat(SecretOrigins.refusal(spec, Optional.of("http://127.0.0.1:8080/login"))).isNull();
		assertThat(SecretOrigins.refusal(spec, Optional.of("http://127.0.0.1:9090/login"))).contains("127.0.0.1:9090");
		assertThat(SecretOrigins.refusal(spec, Optional.of("https://shop.example.com/")))
			.as("the start page is not implicitly allowed when hosts are listed")
			.isNotNull();
	}

	@Test
	void aDesktopHasNoPagesToBindTo() {
		assertThat(SecretOrigins.refusal(spec("https://shop.example.com/", List.of()), Optional.empty())).isNull();
	}

}
