package dev.sightline.vision.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLocatorTest {

	private static final String COMMIT = "a".repeat(40);

	@TempDir
	Path temp;

	@Test
	void readsTheHubCacheLocationFromTheEnvironmentLikeHuggingfaceHub() {
		Path home = Path.of("/home/u");
		assertThat(HubSettings.fromEnvironment(Map.of(), home).cacheDir())
			.isEqualTo(Path.of("/home/u/.cache/huggingface/hub"));
		assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/data/hf"), home).cacheDir())
			.isEqualTo(Path.of("/data/hf/hub"));
		assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/data/hf", "HF_HUB_CACHE", "/fast/hub"), home)
			.cacheDir()).isEqualTo(Path.of("/fast/hub"));
		HubSettings mirror = HubSettings.fromEnvironment(
				Map.of("HF_ENDPOINT", "https://hf-mirror.example/", "HF_TOKEN", "hf_x", "HF_HUB_OFFLINE", "1"), home);
		assertThat(mirror.endpoint()).hasToString("https://hf-mirror.example");
		assertThat(mirror.token()).hasValue("hf_x");
		assertThat(mirror.offline()).isTrue();
		assertThat(mirror.toString()).doesNotContain("hf_x");
	}

	@Test
	void parsesHubIdsWithRevisionsAndRefusesOthers() {
		RepoId id = RepoId.parse("Qwen/Qwen2.5-VL-3B-Instruct@refs/pr/4");
		assertThat(id.id()).isEqualTo("Qwen/Qwen2.5-VL-3B-Instruct");
		assertThat(id.revision()).isEqualTo("refs/pr/4");
		assertThat(id.cacheFolderName()).isEqualTo("models--Qwen--Qwen2.5-VL-3B-Instruct");
		assertThat(RepoId.parse("Qwen/Qwen2.5-VL-3B-Instruct").revision()).isEqualTo("main");
		assertThatThrownBy(() -> RepoId.parse("qwen-3b")).isInstanceOf(HubException.class)
			.hasMessageContaining("neither an existing directory nor a hub model id");
		assertThatThrownBy(() -> RepoId.parse("a/b/c")).isInstanceOf(HubException.class);
		assertThatThrownBy(() -> RepoId.parse("Org/Name@../../etc")).isInstanceOf(HubException.class)
			.hasMessageContaining("not a valid revision");
	}

	@Test
	void usesALocalCheckpointDirectoryAsItIs() throws Exception {
		Path dir = Files.createDirectories(temp.resolve("my-qwen"));
		Files.writeString(dir.resolve("config.json"), "{}");

		Path resolved = new ModelLocator(settings()).resolve(dir.toString(), DownloadListener.NONE);

		assertThat(resolved).isEqualTo(dir);
		assertThat(ModelLocator.defaultName(dir.toString(), resolved)).isEqualTo("my-qwen");
		assertThat(ModelLocator.defaultName("Qwen/Qwen2.5-VL-3B-Instruct@main", temp))
			.isEqualTo("Qwen/Qwen2.5-VL-3B-Instruct");
	}

	@Test
	void findsASnapshotThatPythonToolsDownloaded() throws Exception {
		Path repo = temp.resolve("hub/models--Qwen--Qwen2.5-VL-3B-Instruct");
		Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
		Files.createDirectories(repo.resolve("refs"));
		Files.writeString(repo.resolve("refs/main"), COMMIT);
		Files.writeString(snapshot.resolve("config.json"), "{}");
		Files.writeString(snapshot.resolve("model.safetensors.index.json"),
				"{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}");
		Files.writeString(snapshot.resolve("model-00001-of-00002.safetensors"), "x");
		ModelLocator offline = new ModelLocator(settings().withOffline(true));

		assertThatThrownBy(() -> offline.resolve("Qwen/Qwen2.5-VL-3B-Instruct", DownloadListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("is not in the hub cache");

		Files.writeString(snapshot.resolve("model-00002-of-00002.safetensors"), "y");
		assertThat(offline.resolve("Qwen/Qwen2.5-VL-3B-Instruct", DownloadListener.NONE)).isEqualTo(snapshot);
		assertThat(offline.resolve("Qwen/Qwen2.5-VL-3B-Instruct@" + COMMIT, DownloadListener.NONE)).isEqualTo(snapshot);
	}

	@Test
	void explainsAMissingDirectory() {
		assertThatThrownBy(() -> new ModelLocator(settings()).resolve(temp.resolve("nope").toString(),
				DownloadListener.NONE))
			.isInstanceOf(HubException.class)
			.hasMessageContaining("does not exist");
	}

	private HubSettings settings() {
		return HubSettings.fromEnvironment(Map.of(), temp).withCacheDir(temp.resolve("hub"));
	}

}
