package dev.sightline.agent.files;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import dev.sightline.agent.ScriptedTaskHarness;
import dev.sightline.agent.task.TaskFile;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.browser.BrowserPool;
import dev.sightline.tools.browser.BrowserTarget;
import dev.sightline.tools.execute.UploadFile;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.verify;

/**
 * Files in and out over real HTTP with real Chromium: files attached at submit (JSON and multipart) are stored and
 * handed to the browser target; a real download from a local server is kept and served with its SHA-256; the bounds
 * and the tenant scope hold. The pool is spied on (not replaced) to see the target it is asked to open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "sightline.files.max-input-files=3", "sightline.files.max-input-file-bytes=1000",
		"sightline.files.max-input-total-bytes=1500" })
class TaskFilesIT extends ScriptedTaskHarness {

	@MockitoSpyBean
	BrowserPool pool;

	@Test
	void aFileAttachedToTheSubmitIsStoredAndHandedToTheBrowser() throws Exception {
		byte[] content = "%PDF-1.4 a small cv".getBytes(StandardCharsets.US_ASCII);
		// The model answers late, so the files the browser was given can be looked at while the task runs.
		model.enqueue(Reply.toolCall(SUCCESS).afterMs(3000));
		HttpResponse<String> submitted = post("/api/v1/tasks", """
				{"goal": "Upload the CV", "target": {"type": "browser", "url": "%s"}, "maxSteps": 2,
				 "files": [{"name": "cv.pdf", "contentBase64": "%s", "contentType": "application/pdf"}]}"""
			.formatted(siteUrl("/"), Base64.getEncoder().encodeToString(content)));
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		String id = idOf(submitted);
		assertThat(store.files(id, TaskFile.Kind.INPUT))
			.containsExactly(new TaskFile("cv.pdf", "application/pdf", content.length, TaskFiles.sha256(content)));

		UploadFile upload = awaitUpload(id);
		assertThat(upload.name()).isEqualTo("cv.pdf");
		assertThat(upload.contentType()).isEqualTo("application/pdf");
		assertThat(upload.sizeBytes()).isEqualTo(content.length);
		assertThat(Files.readAllBytes(upload.path())).isEqualTo(content);

		assertThat(awaitEnd(id).status()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(upload.path()).as("the browser's copy is removed when the run ends").doesNotExist();
		assertThat(store.files(id, TaskFile.Kind.INPUT)).hasSize(1);
		assertThat(get("/tasks/" + id).body()).contains("Input files").contains("cv.pdf (" + content.length + " bytes)");
	}

	@Test
	void aFileChooserOnThePageReceivesTheTasksFileWhenTheModelClicksIt() throws Exception {
		String content = "name,total\nwidgets,42\n";
		// The input covers the page, so the click lands on it wherever the model points; the page reports what the
		// chooser gave it (name, size and the bytes themselves) back to the site, as a real upload form would.
		pages.put("/upload", """
				<!doctype html><title>Upload</title><body style="margin:0">
				<input id="f" type="file" style="position:fixed;inset:0;width:100%;height:100%">
				<p id="got"></p>
				<script>
				document.getElementById('f').addEventListener('change', async event => {
				  const file = event.target.files[0];
				  const text = await file.text();
				  document.getElementById('got').textContent = file.name + ' ' + file.size;
				  fetch('/received?name=' + encodeURIComponent(file.name) + '&size=' + file.size
				      + '&text=' + encodeURIComponent(text));
				});
				</script></body>""");
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [300, 200]}"),
				Reply.toolCall("{\"action\": \"wait\", \"time\": 1}"), Reply.toolCall(SUCCESS));
		HttpResponse<String> submitted = post("/api/v1/tasks", """
				{"goal": "Upload the report", "target": {"type": "browser", "url": "%s"}, "maxSteps": 4,
				 "files": [{"name": "totals.csv", "contentBase64": "%s", "contentType": "text/csv"}]}"""
			.formatted(siteUrl("/upload"),
					Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))));
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		String id = idOf(submitted);
		assertThat(awaitEnd(id).status()).as(eventsOf(id)).isEqualTo(TaskStatus.SUCCEEDED);

		String expected = "/received?name=totals.csv&size=" + content.length() + "&text="
				+ URLEncoder.encode(content, StandardCharsets.UTF_8).replace("+", "%20");
		assertThat(siteRequests).as("the page reports the file its chooser received").contains(expected);
	}

	/** The upload in the target the pool was asked to open for task {@code id}, once it was. */
	private UploadFile awaitUpload(String id) throws InterruptedException {
		long deadline = System.nanoTime() + 20_000_000_000L;
		while (System.nanoTime() < deadline) {
			ArgumentCaptor<BrowserTarget> opened = ArgumentCaptor.forClass(BrowserTarget.class);
			try {
				verify(pool, atLeastOnce()).open(opened.capture());
			}
			catch (AssertionError notYet) {
				Thread.sleep(50);
				continue;
			}
			var target = opened.getAllValues()
				.stream()
				.filter(candidate -> candidate.downloadDir().getFileName().toString().equals(id))
				.findFirst();
			if (target.isPresent()) {
				return target.get().uploads().getFirst();
			}
			Thread.sleep(50);
		}
		throw new AssertionError("the browser was never opened for task " + id);
	}

	@Test
	void aMultipartSubmitCarriesItsFileParts() throws Exception {
		model.enqueue(Reply.toolCall(SUCCESS));
		String boundary = "b" + UUID.randomUUID();
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"request\"\r\n"
				+ "Content-Type: application/json\r\n\r\n{\"goal\": \"Upload\", \"target\": {\"type\": \"browser\", \"url\": \""
				+ siteUrl("/") + "\"}, \"maxSteps\": 2}\r\n" + "--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n"
				+ "Content-Type: text/plain\r\n\r\nhello notes\r\n" + "--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.csv\"\r\n"
				+ "Content-Type: text/csv\r\n\r\na,b\r\n" + "--" + boundary + "--\r\n";
		HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(api("/api/v1/tasks")))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		String id = idOf(submitted);
		assertThat(awaitEnd(id).status()).isEqualTo(TaskStatus.SUCCEEDED);
		assertThat(store.files(id, TaskFile.Kind.INPUT)).containsExactly(
				new TaskFile("data.csv", "text/csv", 3, TaskFiles.sha256("a,b".getBytes(StandardCharsets.UTF_8))),
				new TaskFile("notes.txt", "text/plain", 11,
						TaskFiles.sha256("hello notes".getBytes(StandardCharsets.UTF_8))));
	}

	@Test
	void aDownloadIsKeptListedAndServedWithItsSha256() throws Exception {
		String csv = "name,total\nwidgets,42\n";
		pages.put("/report.csv", csv);
		// The link covers the page, so the click lands on it wherever the model points.
		pages.put("/reports", """
				<!doctype html><title>Reports</title><body style="margin:0">
				<a href="/report.csv" style="position:fixed;inset:0;display:block">Download</a></body>""");
		model.enqueue(Reply.toolCall("{\"action\": \"left_click\", \"coordinate\": [300, 200]}"),
				Reply.toolCall("{\"action\": \"wait\", \"time\": 1}"), Reply.toolCall(SUCCESS));
		HttpResponse<String> submitted = post("/api/v1/tasks", """
				{"goal": "Download the report", "target": {"type": "browser", "url": "%s"}, "maxSteps": 4}"""
			.formatted(siteUrl("/reports")));
		assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
		String id = idOf(submitted);
		assertThat(awaitEnd(id).status()).as(eventsOf(id)).isEqualTo(TaskStatus.SUCCEEDED);

		String sha = TaskFiles.sha256(csv.getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> list = get("/api/v1/tasks/" + id + "/files");
		assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
		assertThat(list.body()).startsWith("[{").endsWith("}]")
			.contains("\"name\":\"report.csv\"", "\"contentType\":\"text/csv\"",
					"\"sizeBytes\":" + csv.length(), "\"sha256\":\"" + sha + "\"");
		HttpResponse<byte[]> file = http.send(
				HttpRequest.newBuilder(URI.create(api("/api/v1/tasks/" + id + "/files/report.csv"))).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(TaskFiles.sha256(file.body())).isEqualTo(sha);
		assertThat(file.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				value -> assertThat(value).startsWith("attachment;").contains("report.csv"));
		assertThat(file.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(get("/api/v1/tasks/" + id + "/files/other.csv").statusCode()).isEqualTo(404);
		HttpResponse<String> dashboard = get("/tasks/" + id);
		assertThat(dashboard.statusCode()).isEqualTo(200);
		assertThat(dashboard.body()).contains("Downloaded files")
			.contains("href=\"/api/v1/tasks/" + id + "/files/report.csv\"")
			.contains(sha.substring(0, 12));
	}

	@Test
	void anotherTenantsTaskFilesAreNotFound() throws Exception {
		String id = UUID.randomUUID().toString();
		store.create(new Task(id, "other-tenant", TaskStatus.SUCCEEDED,
				new TaskSpec("Go", new TaskTarget.Browser(siteUrl("/"), null, null), 2, 60, 0, null, List.of(),
						List.of(), null, null),
				Instant.now(), null, null, 0, null, 0));
		byte[] secret = "other tenant's data".getBytes(StandardCharsets.UTF_8);
		store.saveFile(id, TaskFile.Kind.OUTPUT,
				new TaskFile("secret.txt", "text/plain", secret.length, TaskFiles.sha256(secret)), secret);

		HttpResponse<String> list = get("/api/v1/tasks/" + id + "/files");
		HttpResponse<String> file = get("/api/v1/tasks/" + id + "/files/secret.txt");
		assertThat(list.statusCode()).isEqualTo(404);
		assertThat(file.statusCode()).isEqualTo(404);
		// The same answer as for a task that does not exist; the problem's instance echoes only the request's path.
		assertThat(list.body()).contains("no task '" + id + "'");
		assertThat(file.body()).contains("no task '" + id + "'").doesNotContain("other tenant's data");
	}

	@Test
	void refusesFilesPastTheLimitsOrWithoutAPlainName() throws Exception {
		String small = Base64.getEncoder().encodeToString(new byte[600]);
		String big = Base64.getEncoder().encodeToString(new byte[1001]);
		HttpResponse<String> count = submitFiles(
				file("a", small) + "," + file("b", "") + "," + file("c", "") + "," + file("d", ""));
		HttpResponse<String> size = submitFiles(file("big.bin", big));
		HttpResponse<String> total = submitFiles(file("a", small) + "," + file("b", small) + "," + file("c", small));
		HttpResponse<String> traversal = submitFiles(file("../etc/passwd", ""));
		HttpResponse<String> twice = submitFiles(file("a", "") + "," + file("a", ""));
		HttpResponse<String> notBase64 = submitFiles(file("a", "not base64!"));
		HttpResponse<String> desktop = post("/api/v1/tasks", """
				{"goal": "Go", "target": {"type": "desktop"}, "files": [%s]}""".formatted(file("a", "")));

		assertThat(count.statusCode()).isEqualTo(413);
		assertThat(count.body()).contains("4 files attached, more than the limit of 3 (sightline.files.max-input-files)");
		assertThat(size.statusCode()).isEqualTo(413);
		assertThat(size.body()).contains("file 'big.bin' has 1001 bytes, more than the limit of 1000 bytes");
		assertThat(total.statusCode()).isEqualTo(413);
		assertThat(total.body()).contains("more than the limit of 1500 bytes (sightline.files.max-input-total-bytes)");
		assertThat(traversal.statusCode()).isEqualTo(400);
		assertThat(traversal.body()).contains("must be a plain file name");
		assertThat(twice.statusCode()).isEqualTo(400);
		assertThat(twice.body()).contains("file name 'a' is attached twice");
		assertThat(notBase64.statusCode()).isEqualTo(400);
		assertThat(notBase64.body()).contains("is not Base64");
		assertThat(desktop.statusCode()).isEqualTo(400);
		assertThat(desktop.body()).contains("a desktop task cannot take them");
		assertThat(store.list("local", null, 0, 100).items())
			.noneMatch(task -> task.spec().goal().equals("Refused files"));
	}

	private HttpResponse<String> submitFiles(String files) throws Exception {
		return post("/api/v1/tasks", """
				{"goal": "Refused files", "target": {"type": "browser", "url": "%s"}, "files": [%s]}"""
			.formatted(siteUrl("/"), files));
	}

	private static String file(String name, String base64) {
		return "{\"name\": \"" + name + "\", \"contentBase64\": \"" + base64 + "\"}";
	}

	private String api(String path) {
		return "http://127.0.0.1:" + port + path;
	}

}
