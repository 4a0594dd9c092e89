package dev.sightline.vision.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Hugging Face hub cache on disk, in huggingface_hub's layout, so both share downloads:
 *
 * <pre>
 * {cacheDir}/models--Org--Name/refs/{revision}               commit hash the revision pointed to
 * {cacheDir}/models--Org--Name/blobs/{sha256 or blob id}     file contents ({name}.incomplete while downloading)
 * {cacheDir}/models--Org--Name/snapshots/{commit}/{path}     relative symlink to ../../blobs/{name}
 * </pre>
 */
public final class HubCache {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Path root;

	public HubCache(Path root) {
		this.root = root;
	}

	public Path root() {
		return root;
	}

	public Path repoDir(RepoId repo) {
		return root.resolve(repo.cacheFolderName());
	}

	public Path blob(RepoId repo, RepoFile file) {
		return repoDir(repo).resolve("blobs").resolve(file.blobName());
	}

	public Path incomplete(RepoId repo, RepoFile file) {
		return repoDir(repo).resolve("blobs").resolve(file.blobName() + ".incomplete");
	}

	public Path snapshotDir(RepoId repo, String commit) {
		return repoDir(repo).resolve("snapshots").resolve(commit);
	}

	/**
	 * The cached snapshot of the repository's revision when it is complete enough to load: a config.json and every
	 * weight file its safetensors index names (or a single model.safetensors).
	 */
	public Optional<Path> findSnapshot(RepoId repo) {
		Optional<String> commit = repo.pinned() ? Optional.of(repo.revision()) : readRef(repo);
		return commit.map(c -> snapshotDir(repo, c)).filter(HubCache::loadable);
	}

	private Optional<String> readRef(RepoId repo) {
		Path ref = repoDir(repo).resolve("refs").resolve(repo.revision());
		if (!Files.isRegularFile(ref)) {
			return Optional.empty();
		}
		try {
			String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
			return commit.matches("[0-9a-f]{40}") ? Optional.of(commit) : Optional.empty();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read cache ref " + ref, e);
		}
	}

	static boolean loadable(Path dir) {
		if (!Files.isRegularFile(dir.resolve("config.json"))) {
			return false;
		}
		Path index = dir.resolve("model.safetensors.index.json");
		if (!Files.isRegularFile(index)) {
			return Files.isRegularFile(dir.resolve("model.safetensors"));
		}
		try {
			JsonNode weightMap = JSON.readTree(index.toFile()).path("weight_map");
			for (JsonNode shard : weightMap) {
				if (!Files.isRegularFile(dir.resolve(shard.asText()))) {
					return false;
				}
			}
			return !weightMap.isEmpty();
		}
		catch (IOException e) {
			return false;
		}
	}

	/** Records which commit a branch or tag pointed to, as huggingface_hub does. */
	public void writeRef(RepoId repo, String commit) {
		if (repo.pinned()) {
			return;
		}
		Path ref = repoDir(repo).resolve("refs").resolve(repo.revision());
		try {
			Files.createDirectories(ref.getParent());
			Path temp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
			Files.writeString(temp, commit, StandardCharsets.UTF_8);
			Files.move(temp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new HubException("cannot write cache ref " + ref + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Points {@code snapshots/{commit}/{path}} at the file's blob with a relative symlink; copies where the file
	 * system has no symlinks.
	 */
	public Path link(RepoId repo, String commit, RepoFile file) {
		Path target = snapshotDir(repo, commit).resolve(file.path());
		Path blob = blob(repo, file);
		try {
			Files.createDirectories(target.getParent());
			Files.deleteIfExists(target);
			try {
				Files.createSymbolicLink(target, target.getParent().relativize(blob));
			}
			catch (UnsupportedOperationException | IOException e) {
				Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
			}
			return target;
		}
		catch (IOException e) {
			throw new HubException("cannot link " + target + " to " + blob + ": " + e.getMessage(), e);
		}
	}

}
