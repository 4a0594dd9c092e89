package dev.sightline.agent.security;

import java.net.http.HttpResponse;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import dev.sightline.agent.ScriptedTaskHarness;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A one-time code end to end: the task gets a TOTP seed, the model types {@code {{otp}}} into a real page in real
 * Chromium, the page receives the code of the moment; neither seed nor code is in the stored steps or events.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TotpIT extends ScriptedTaskHarness {

	static final String SEED = "JBSWY3DPEHPK3PXP";

	static final String CODE_PAGE = """
			<!doctype html><title>Code</title>
			<body style="margin:0;background:#fff;font:24px sans-serif">
			<form action="/verified" method="get">
			<input name="code" placeholder="6-digit code" autofocus style="position:absolute;left:200px;top:150px;width:300px;height:40px">
			</form></body>""";

	@Test
	void theModelTypesTheCodeOfTheMomentNeverTheSeed() throws Exception {
		pages.put("/code", CODE_PAGE);
		model.enqueue(Reply.toolCall("{\"action\": \"type\", \"text\": \"{{otp}}\\n\"}"), Reply.toolCall(SUCCESS));
		Instant before = Instant.now();
		HttpResponse<String> submitted = post("/api/v1/tasks", """
				{"goal": "Enter the code {{otp}}", "target": {"type": "browser", "url": "%s"}, "maxSteps": 4,
				 "timeoutSeconds": 60, "secrets": {"otp": {"totp": "%s"}}}""".formatted(siteUrl("/code"), SEED));
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		String id = idOf(submitted);

		assertThat(awaitEnd(id).status()).isEqualTo(TaskStatus.SUCCEEDED);
		Instant after = Instant.now();
		Totp totp = Totp.of(SEED);
		String typed = siteRequests.stream()
			.filter(request -> request.startsWith("/verified?code="))
			.findFirst()
			.orElseThrow()
			.substring("/verified?code=".length());
		assertThat(typed).isIn(totp.code(before), totp.code(after));
		String recorded = eventsOf(id) + store.steps(id) + get("/api/v1/tasks/" + id).body();
		assertThat(recorded).doesNotContain(SEED).doesNotContain(typed).contains("{{otp}}");
		assertThat(get("/api/v1/tasks/" + id).body()).contains("\"secretNames\":[\"otp\"]");
	}

	@Test
	void refusesSeedsAndParametersThatCannotMakeCodes() throws Exception {
		String target = "\"target\": {\"type\": \"browser\", \"url\": \"" + siteUrl("/") + "\"}";
		HttpResponse<String> shortSeed = post("/api/v1/tasks",
				"{\"goal\": \"Go\", " + target + ", \"secrets\": {\"otp\": {\"totp\": \"JBSWY3DP\"}}}");
		HttpResponse<String> strayBits = post("/api/v1/tasks",
				"{\"goal\": \"Go\", " + target + ", \"secrets\": {\"otp\": {\"totp\": \"JBSWY3DPEHPK3PXPA\"}}}");
		HttpResponse<String> digits = post("/api/v1/tasks", "{\"goal\": \"Go\", " + target
				+ ", \"secrets\": {\"otp\": {\"totp\": \"" + SEED + "\", \"digits\": 10, \"algorithm\": \"MD5\"}}}");
		HttpResponse<String> uri = post("/api/v1/tasks", "{\"goal\": \"Go\", " + target
				+ ", \"secrets\": {\"otp\": \"otpauth://totp/x?secret=" + SEED + "\"}}");
		HttpResponse<String> number = post("/api/v1/tasks",
				"{\"goal\": \"Go\", " + target + ", \"secrets\": {\"otp\": 123456}}");

		assertThat(shortSeed.statusCode()).isEqualTo(400);
		assertThat(shortSeed.body()).contains("totp must be the Base32 seed, 16 to 256 characters");
		assertThat(strayBits.statusCode()).isEqualTo(400);
		assertThat(strayBits.body()).contains("secret 'otp': a TOTP seed must be whole Base32");
		assertThat(digits.statusCode()).isEqualTo(400);
		assertThat(digits.body()).contains("totp digits must be within [6, 8]")
			.contains("totp algorithm must be SHA1, SHA256 or SHA512");
		assertThat(uri.statusCode()).isEqualTo(400);
		assertThat(uri.body()).contains("is an otpauth:// URI; give a one-time code's seed as {\\\"totp\\\"");
		assertThat(number.statusCode()).isEqualTo(400);
		assertThat(shortSeed.body() + strayBits.body() + digits.body()).doesNotContain(SEED);
	}

}
