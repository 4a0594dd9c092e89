package dev.sightline.vision.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/** A repository at one commit: the files {@code /api/models/{repo}/revision/{rev}?blobs=true} lists. */
public record RepoSnapshot(RepoId repo, String commit, List<RepoFile> files) {

	public RepoSnapshot {
		if (!commit.matches("[0-9a-f]{40}")) {
			throw new HubException("the hub answered commit '" + commit + "' for " + repo + ", not a 40-digit hash");
		}
		files = List.copyOf(files);
	}

	/** Reads the hub's JSON answer. */
	static RepoSnapshot fromJson(RepoId repo, JsonNode json) {
		String commit = json.path("sha").asText("");
		List<RepoFile> files = new ArrayList<>();
		for (JsonNode sibling : json.path("siblings")) {
			String path = sibling.path("rfilename").asText("");
			JsonNode lfs = sibling.path("lfs");
			if (lfs.isObject()) {
				files.add(new RepoFile(path, lfs.path("size").asLong(sibling.path("size").asLong(-1)),
						Optional.of(lfs.path("sha256").asText()), Optional.empty()));
			}
			else {
				String blobId = sibling.path("blobId").asText("");
				files.add(new RepoFile(path, sibling.path("size").asLong(-1), Optional.empty(),
						blobId.isEmpty() ? Optional.empty() : Optional.of(blobId)));
			}
		}
		return new RepoSnapshot(repo, commit, files);
	}

	/**
	 * The files a Qwen2.5-VL runtime reads: configs, tokenizer, chat template and safetensors weights; README,
	 * images and other weight formats (.bin, .gguf, ...) are skipped.
	 */
	public List<RepoFile> modelFiles() {
		return files.stream().filter(f -> wanted(f.path())).toList();
	}

	static boolean wanted(String path) {
		String name = path.substring(path.lastIndexOf('/') + 1);
		return !name.startsWith(".") && (name.endsWith(".json") || name.endsWith(".safetensors")
				|| name.endsWith(".txt") || name.endsWith(".jinja") || name.endsWith(".model"));
	}

	public long totalBytes(List<RepoFile> selection) {
		return selection.stream().mapToLong(RepoFile::sizeBytes).sum();
	}

}
