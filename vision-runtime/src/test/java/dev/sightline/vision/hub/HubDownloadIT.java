package dev.sightline.vision.hub;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubDownloadIT {

	private static final String REPO = "Sightline/tiny-a";

	@TempDir
	Path cacheDir;

	private FakeHub hub;

	private HubSettings settings;

	@BeforeEach
	void startHub() throws Exception {
		hub = new FakeHub(REPO, tinyA());
		settings = HubSettings.fromEnvironment(Map.of(), cacheDir).withEndpoint(hub.endpoint()).withCacheDir(cacheDir);
	}

	@AfterEach
	void stopHub() {
		hub.close();
	}

	static Path tinyA() throws URISyntaxException {
		return Path.of(HubDownloadIT.class.getResource("/golden/qwen2_5_vl/models/tiny-a/config.json").toURI())
			.getParent();
	}

	@Test
	void downloadsTheSnapshotIntoTheHubCacheLayout() throws Exception {
		List<DownloadProgress> events = Collections.synchronizedList(new ArrayList<>());

		Path snapshot = new ModelLocator(settings).resolve(REPO, events::add);

		Path repoDir = cacheDir.resolve("models--Sightline--tiny-a");
		assertThat(snapshot).isEqualTo(repoDir.resolve("snapshots").resolve(FakeHub.COMMIT));
		assertThat(Files.readString(repoDir.resolve("refs/main"))).isEqualTo(FakeHub.COMMIT);
		for (String name : hub.fileNames()) {
			Path file = snapshot.resolve(name);
			assertThat(Files.isSymbolicLink(file)).as(name).isTrue();
			assertThat(file.toRealPath().getParent()).isEqualTo(repoDir.resolve("blobs").toRealPath());
			assertThat(Files.readAllBytes(file)).as(name).isEqualTo(hub.file(name));
		}
		String weightsSha = FakeHub.digest("SHA-256", new byte[0], hub.file("model.safetensors"));
		assertThat(repoDir.resolve("blobs").resolve(weightsSha)).exists();
		long total = hub.fileNames().stream().mapToLong(n -> hub.file(n).length).sum();
		DownloadProgress last = events.getLast();
		assertThat(last.complete()).isTrue();
		assertThat(last.doneBytes()).isEqualTo(total);
		assertThat(last.totalBytes()).isEqualTo(total);
		assertThat(last.filesTotal()).isEqualTo(hub.fileNames().size());
		assertThat(events).extracting(DownloadProgress::doneBytes).isSorted();
	}

	@Test
	void resumesAnInterruptedDownloadWithARangeRequest() throws Exception {
		int cut = 100_000;
		hub.cutOnce.put("model.safetensors", cut);

		Path snapshot = new ModelLocator(settings).resolve(REPO, DownloadListener.NONE);

		assertThat(hub.rangeHeaders).containsExactly("model.safetensors bytes=" + cut + "-");
		assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(hub.file("model.safetensors"));
	}

	@Test
	void resumesAPartialFileLeftByAnEarlierRun() throws Exception {
		byte[] weights = hub.file("model.safetensors");
		String sha = FakeHub.digest("SHA-256", new byte[0], weights);
		Path partial = cacheDir.resolve("models--Sightline--tiny-a/blobs/" + sha + ".incomplete");
		Files.createDirectories(partial.getParent());
		Files.write(partial, java.util.Arrays.copyOf(weights, 4096));

		Path snapshot = new ModelLocator(settings).resolve(REPO, DownloadListener.NONE);

		assertThat(hub.rangeHeaders).containsExactly("model.safetensors bytes=4096-");
		assertThat(Files.readAllBytes(snapshot.resolve("model.safetensors"))).isEqualTo(weights);
		assertThat(partial).doesNotExist();
	}

	@Test
	void detectsACorruptedFileAndDeletesIt() {
		hub.corrupted.add("model.safetensors");
		String sha = FakeHub.digest("SHA-256", new byte[0], hub.file("model.safetensors"));

		assertThatThrownBy(() -> new ModelLocator(settings).resolve(REPO, DownloadListener.NONE))
			.isInstanceOf(ChecksumMismatchException.class)
			.hasMessageContaining("'model.safetensors' is corrupt")
			.hasMessageContaining("the hub says " + sha);
		Path blobs = cacheDir.resolve("models--Sightline--tiny-a/blobs");
		assertThat(blobs.resolve(sha)).doesNotExist();
		assertThat(blobs.resolve(sha + ".incomplete")).doesNotExist();
		assertThat(cacheDir.resolve("models--Sightline--tiny-a/refs/main")).doesNotExist();
	}

	@Test
	void detectsACorruptedConfigThroughItsGitBlobId() {
		hub.corrupted.add("config.json");

		assertThatThrownBy(() -> new ModelLocator(settings).resolve(REPO, DownloadListener.NONE))
			.isInstanceOf(ChecksumMismatchException.class)
			.hasMessageContaining("'config.json' is corrupt: its git blob sha1");
	}

	@Test
	void reusesTheCachedSnapshotWithoutContactingTheHub() {
		Path first = new ModelLocator(settings).resolve(REPO, DownloadListener.NONE);
		int requests = hub.requests.size();
		hub.close();

		Path second = new ModelLocator(settings).resolve(REPO, DownloadListener.NONE);

		assertThat(second).isEqualTo(first);
		assertThat(hub.requests).hasSize(requests);
	}

	@Test
	void sendsHfTokenAndExplainsARefusal() {
		hub.requiredToken = "hf_secret";

		assertThatThrownBy(() -> new ModelLocator(settings).resolve(REPO, DownloadListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("HTTP 401")
			.hasMessageContaining("HF_TOKEN");

		Path snapshot = new ModelLocator(settings.withToken("hf_secret")).resolve(REPO, DownloadListener.NONE);
		assertThat(snapshot.resolve("config.json")).exists();
		assertThat(hub.authorizations).contains("Bearer hf_secret");
	}

	@Test
	void refusesToDownloadWhenOffline() {
		assertThatThrownBy(() -> new ModelLocator(settings.withOffline(true)).resolve(REPO, DownloadListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("HF_HUB_OFFLINE");
		assertThat(hub.requests).isEmpty();
	}

	@Test
	void reportsAnUnknownRepository() {
		assertThatThrownBy(() -> new ModelLocator(settings).resolve("Sightline/missing", DownloadListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("HTTP 404");
	}

	@Test
	void drawsAProgressBarWhileDownloading() {
		var bytes = new java.io.ByteArrayOutputStream();
		var bar = new TerminalProgressBar(new java.io.PrintStream(bytes, true), false);

		new ModelLocator(settings).resolve(REPO, bar);

		String text = bytes.toString();
		assertThat(text).contains("Sightline/tiny-a [").contains("100%").contains("files 7/7");
	}

}
