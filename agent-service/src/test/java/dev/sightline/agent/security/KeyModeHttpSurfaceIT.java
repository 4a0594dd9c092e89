package dev.sightline.agent.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.sightline.agent.SightlineApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP surface in key mode, attacked with raw requests over a socket: non-canonical paths meet the same rules as
 * canonical ones (or the firewall), operations endpoints need a key, and every refusal is problem+json.
 */
@SpringBootTest(classes = SightlineApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sightline.security.api-keys=alice=" + KeyModeHttpSurfaceIT.ALICE)
class KeyModeHttpSurfaceIT {

	static final String ALICE = "alice-key-0123456789";

	static final String GROUND = "{\"image\": \"iVBORw0KGgo=\", \"instruction\": \"the button\"}";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) throws Exception {
		Path dir = Files.createTempDirectory("sightline-keymode-it");
		registry.add("sightline.store.dir", dir::toString);
		registry.add("sightline.model.path", () -> dir.resolve("no-checkpoint").toString());
	}

	RawHttp http() {
		return new RawHttp(port);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/%61pi/v1/ground", "/%61%70%69/v1/ground", "/api/v1/ground/", "/api/v1/%67round" })
	void refusesAnEncodedOrVariantApiPathWithoutAKey(String path) throws Exception {
		RawHttp.Response response = http().send("POST", path, GROUND);

		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
		assertThat(response.body()).doesNotContain("unavailable");
	}

	@Test
	void refusesTheHexEncodedApiPrefixWithAKeyRequest() throws Exception {
		RawHttp.Response response = http().send("POST", "/%61pi/v1/ground", GROUND);

		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
		assertThat(response.body()).contains("Authorization: Bearer");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api;x/v1/ground", "/api/v1/tasks/..%2f..%2fetc", "/api%2fv1/tasks", "//api/v1/tasks",
			"/api/v1/./tasks", "/api/v1/x/../tasks", "/api/v1/tasks%2F", "/api/v1/tasks/%2e%2e/x", "/api%5cv1/tasks" })
	void answersFirewallRefusalsWithProblemJson(String path) throws Exception {
		RawHttp.Response response = http().get(path, "Authorization: Bearer " + ALICE);

		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/env", "/actuator/metrics", "/actuator/prometheus", "/actuator/info",
			"/actuator/health", "/actuator", "/v3/api-docs", "/v3/api-docs/swagger-config", "/swagger-ui.html",
			"/swagger-ui/index.html" })
	void operationsEndpointsNeedAKey(String path) throws Exception {
		RawHttp.Response response = http().get(path);

		assertThat(response.status()).as(response.toString()).isEqualTo(401);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
	}

	@Test
	void operationsEndpointsAnswerWithAKey() throws Exception {
		assertThat(http().get("/v3/api-docs", "Authorization: Bearer " + ALICE).status()).isEqualTo(200);
		assertThat(http().get("/actuator/metrics", "Authorization: Bearer " + ALICE).status()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health/liveness", "/actuator/health/readiness", "/login",
			"/dashboard/dashboard.css" })
	void probesAndTheLoginPageArePublic(String path) throws Exception {
		RawHttp.Response response = http().get(path);

		assertThat(response.status()).as(response.toString()).isIn(200, 503);
		assertThat(response.body()).doesNotContain("Unauthorized");
	}

	@Test
	void refusesAnUnknownKeyWithProblemJson() throws Exception {
		RawHttp.Response response = http().get("/api/v1/tasks", "Authorization: Bearer not-a-key-of-anyone");

		assertThat(response.status()).isEqualTo(401);
		assertThat(response.isProblem()).isTrue();
		assertThat(response.body()).contains("the API key is not valid");
	}

	@Test
	void servesTheTenantWithAValidKey() throws Exception {
		RawHttp.Response response = http().get("/api/v1/tasks", "Authorization: Bearer " + ALICE);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"items\":[]");
	}

	@Test
	void sendsPagesWithoutASessionToTheLoginPage() throws Exception {
		RawHttp.Response response = http().get("/system");

		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).endsWith("/login?next=%2Fsystem");
	}

	@Test
	void refusesAChunkedBodyPastTheLimitWhileReadingIt() throws Exception {
		RawHttp.Response response = http().chunked("POST", "/api/v1/tasks", 17L * 1024 * 1024,
				"Authorization: Bearer " + ALICE);

		assertThat(response.status()).as(response.toString()).isEqualTo(413);
		assertThat(response.isProblem()).as(response.toString()).isTrue();
		assertThat(response.body()).contains("limit of 16777216 bytes");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/%09/evil.com", "//evil.com", "/%5Cevil.com", "https://evil.com/", "%2F%2Fevil.com" })
	void logsInAndRedirectsOnlyToAPathOfThisSite(String next) throws Exception {
		HttpClient browser = browser();
		String csrf = loginPageCsrf(browser);

		HttpResponse<String> login = browser.send(form("/login", "_csrf=" + enc(csrf) + "&apiKey=" + ALICE
				+ "&next=" + next), HttpResponse.BodyHandlers.ofString());

		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(URI.create("http://127.0.0.1:" + port).resolve(location))
					.isEqualTo(URI.create("http://127.0.0.1:" + port + "/tasks")));
	}

	@Test
	void aLoggedInSessionCallsTheApiWithItsCsrfTokenAndNotWithout() throws Exception {
		HttpClient browser = browser();
		String csrf = loginPageCsrf(browser);
		browser.send(form("/login", "_csrf=" + enc(csrf) + "&apiKey=" + ALICE), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(base() + "/tasks")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		String token = csrfOf(page.body());

		HttpResponse<String> withToken = browser.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tasks/x/cancel"))
			.header("X-CSRF-Token", token)
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> without = browser.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tasks/x/cancel"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> list = browser.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tasks")).build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(404);
		assertThat(without.statusCode()).isEqualTo(403);
		assertThat(without.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(without.body()).contains("CSRF token");
		assertThat(list.statusCode()).isEqualTo(200);
	}

	@Test
	void aLoggedInSessionOpensTheOperationsPagesTheSystemPageLinks() throws Exception {
		HttpClient browser = browser();
		String csrf = loginPageCsrf(browser);
		browser.send(form("/login", "_csrf=" + enc(csrf) + "&apiKey=" + ALICE), HttpResponse.BodyHandlers.ofString());

		assertThat(browser.send(HttpRequest.newBuilder(URI.create(base() + "/actuator/health")).build(),
				HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
		assertThat(browser.send(HttpRequest.newBuilder(URI.create(base() + "/v3/api-docs")).build(),
				HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(200);
	}

	@Test
	void refusesALoginPostWithoutTheCsrfToken() throws Exception {
		HttpClient browser = browser();
		loginPageCsrf(browser);

		HttpResponse<String> login = browser.send(form("/login", "apiKey=" + ALICE),
				HttpResponse.BodyHandlers.ofString());

		assertThat(login.statusCode()).isEqualTo(403);
		assertThat(login.body()).contains("CSRF");
	}

	String base() {
		return "http://127.0.0.1:" + port;
	}

	static HttpClient browser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	String loginPageCsrf(HttpClient browser) throws Exception {
		HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		return csrfOf(page.body());
	}

	static String csrfOf(String html) {
		Matcher matcher = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
		assertThat(matcher.find()).as("CSRF field in %s", html).isTrue();
		return matcher.group(1);
	}

	HttpRequest form(String path, String body) {
		return HttpRequest.newBuilder(URI.create(base() + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
