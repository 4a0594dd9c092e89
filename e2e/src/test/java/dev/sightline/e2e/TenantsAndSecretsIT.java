package dev.sightline.e2e;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.sightline.e2e.support.FixtureSite;
import dev.sightline.e2e.support.Platform;
import dev.sightline.e2e.support.Pngs;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;

/** Two tenants never see each other's tasks; a secret reaches the page and nothing else. */
@ExtendWith(OutputCaptureExtension.class)
class TenantsAndSecretsIT {

	static final String ALICE = "alice-key-0123456789abcdef";

	static final String BOB = "bob-key-0123456789abcdefgh";

	static final String SECRET = "s3cr3t-VALUE-4711";

	@TempDir
	static Path storeDir;

	static ScriptedModelServer model;

	static FixtureSite site;

	static Platform platform;

	@BeforeAll
	static void start() throws Exception {
		model = ScriptedModelServer.start();
		site = FixtureSite.start();
		platform = Platform.start(Map.of("sightline.model.backend", "openai", "sightline.model.base-url",
				model.baseUrl(), "sightline.model.max-retries", 0, "sightline.store.dir", storeDir.toString(),
				// The same site under a second name: a page the server may load, but not one the task's secrets are for.
				"sightline.browser.allowed-hosts", site.hostPort() + "," + site.hostPort().replace("127.0.0.1", "localhost"),
				"sightline.security.api-keys",
				"alice=" + ALICE + ",bob=" + BOB, "sightline.agent.concurrency", 1));
	}

	@AfterAll
	static void stop() {
		platform.close();
		site.close();
		model.close();
	}

	@Test
	void aTenantSeesNothingOfAnotherTenantsTask() throws Exception {
		model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = platform.submit(ALICE, """
				{"goal": "Look", "target": {"type": "browser", "url": "%s"}}""".formatted(site.url("done.html")));
		platform.awaitFinal(ALICE, id, 60_000);

		String base = "/api/v1/tasks/" + id;
		assertThat(platform.get(base, BOB).status()).isEqualTo(404);
		assertThat(platform.get(base + "/steps", BOB).status()).isEqualTo(404);
		assertThat(platform.get(base + "/steps/1/screenshot", BOB).status()).isEqualTo(404);
		assertThat(platform.get(base + "/events", BOB).status()).isEqualTo(404);
		assertThat(platform.post(base + "/cancel", BOB, "").status()).isEqualTo(404);
		assertThat(platform.get("/api/v1/tasks", BOB).json().get("items").toString()).doesNotContain(id);
		assertThat(platform.get("/api/v1/tasks", ALICE).json().get("items").toString()).contains(id);
		assertThat(platform.get(base, ALICE).status()).isEqualTo(200);
		Platform.Answer anonymous = platform.get(base, null);
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(platform.get(base, "not-a-key-of-anyone-at-all").status()).isEqualTo(401);
	}

	@Test
	void aSecretIsTypedIntoThePageButNeverLogsStoresPublishesOrReachesTheModel(CapturedOutput output)
			throws Exception {
		int before = model.requests().size();
		// Field centre (350, 140) CSS -> model (352, 142); button centre (250, 360) -> (252, 364) at 1288x728.
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [352, 142]}"),
				Reply.toolCall("{\"action\": \"type\", \"text\": \"{{token}}\"}"),
				Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [252, 364]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = platform.submit(ALICE, """
				{"goal": "Sign in with the token {{token}}",
				 "target": {"type": "browser", "url": "%s"}, "secrets": {"token": "%s"}}"""
			.formatted(site.url("login.html"), SECRET));

		JsonNode task = platform.awaitFinal(ALICE, id, 60_000);

		assertThat(task.get("status").asString()).isEqualTo("succeeded");
		assertThat(site.requests()).contains("/signed-in?token=" + SECRET);
		assertThat(task.toString()).doesNotContain(SECRET).contains("token");
		assertThat(platform.get("/api/v1/tasks/" + id + "/steps", ALICE).body()).doesNotContain(SECRET)
			.contains("{{token}}");
		assertThat(platform.events(ALICE, id, null)).allSatisfy(event -> assertThat(event.data()).doesNotContain(SECRET));
		List<ScriptedModelServer.RecordedRequest> requests = model.requests().subList(before, model.requests().size());
		assertThat(requests).hasSize(4).allSatisfy(request -> assertThat(request.body()).doesNotContain(SECRET));
		assertThat(output.getAll()).doesNotContain(SECRET);
		assertThat(filesContaining(storeDir, SECRET)).isEmpty();
		// After typing, the field is painted over in what is stored and in what the model sees.
		BufferedImage stored = Pngs.read(platform.getBytes("/api/v1/tasks/" + id + "/steps/3/screenshot", ALICE));
		assertThat(stored.getRGB(350, 140) & 0xFFFFFF).isZero();
		assertThat(stored.getRGB(110, 110) & 0xFFFFFF).isZero();
		BufferedImage seen = Pngs.read(Pngs.fromDataUrl(requests.get(2).imageUrls().get(0)));
		assertThat(seen.getRGB(352, 142) & 0xFFFFFF).isZero();
		BufferedImage beforeTyping = Pngs.read(platform.getBytes("/api/v1/tasks/" + id + "/steps/1/screenshot", ALICE));
		assertThat(beforeTyping.getRGB(350, 140) & 0xFFFFFF).isNotZero();
	}

	@Test
	void aSecretIsNotTypedIntoAPageOfAnotherHost() throws Exception {
		String elsewhere = site.url("login.html").replace("127.0.0.1", "localhost");
		int before = site.requests().size();
		model.enqueue(Reply.toolCall("{\"action\": \"navigate\", \"url\": \"" + elsewhere + "\"}"),
				Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [352, 142]}"),
				Reply.toolCall("{\"action\": \"type\", \"text\": \"{{token}}\"}"),
				Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [252, 364]}"),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		String id = platform.submit(ALICE, """
				{"goal": "Sign in with the token {{token}}",
				 "target": {"type": "browser", "url": "%s"}, "secrets": {"token": "%s"}}"""
			.formatted(site.url("login.html"), SECRET));

		platform.awaitFinal(ALICE, id, 60_000);

		assertThat(site.requests().subList(before, site.requests().size())).as("what the site received").noneMatch(line -> line.contains(SECRET))
			.anyMatch(line -> line.startsWith("/signed-in?token="));
		assertThat(platform.get("/api/v1/tasks/" + id + "/steps", ALICE).body())
			.contains("not run: a secret may only be typed into pages of 127.0.0.1")
			.contains("the page is http://localhost:");
	}

	@Test
	void rejectsAGoalThatNamesAnUndeclaredSecret() {
		Platform.Answer answer = platform.post("/api/v1/tasks", ALICE, """
				{"goal": "Type {{pin}}", "target": {"type": "browser", "url": "%s"}}""".formatted(site.url("index.html")));
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.json().get("detail").asString()).contains("{{pin}}").contains("secrets has no entry 'pin'");
	}

	private static List<Path> filesContaining(Path dir, String value) throws IOException {
		byte[] needle = value.getBytes(StandardCharsets.UTF_8);
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).filter(file -> {
				try {
					return indexOf(Files.readAllBytes(file), needle) >= 0;
				}
				catch (IOException e) {
					throw new IllegalStateException(e);
				}
			}).toList();
		}
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
