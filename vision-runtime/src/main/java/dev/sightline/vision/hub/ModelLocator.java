package dev.sightline.vision.hub;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns {@code --model DIR_OR_HUB_ID} into a checkpoint directory: an existing directory as it is, else a hub id
 * ({@code Org/Name[@revision]}) from the hub cache, else downloaded from the hub into that cache.
 */
public final class ModelLocator {

	private final HubSettings settings;

	public ModelLocator(HubSettings settings) {
		this.settings = settings;
	}

	public Path resolve(String dirOrHubId, DownloadListener listener) {
		String spec = dirOrHubId.strip();
		if (spec.isEmpty()) {
			throw new HubException("--model is empty: give a checkpoint directory or a hub id such as "
					+ "Qwen/Qwen2.5-VL-3B-Instruct");
		}
		if (spec.startsWith("~/")) {
			spec = System.getProperty("user.home") + spec.substring(1);
		}
		Path local = Path.of(spec);
		if (Files.isDirectory(local)) {
			if (!Files.isRegularFile(local.resolve("config.json"))) {
				throw new HubException("directory " + local.toAbsolutePath() + " has no config.json: not a checkpoint");
			}
			return local;
		}
		if (spec.startsWith("/") || spec.startsWith(".")) {
			throw new HubException("checkpoint directory " + local.toAbsolutePath() + " does not exist");
		}
		RepoId repo = RepoId.parse(spec);
		HubCache cache = new HubCache(settings.cacheDir());
		var cached = cache.findSnapshot(repo);
		if (cached.isPresent()) {
			return cached.get();
		}
		if (settings.offline()) {
			throw new HubException(repo + " is not in the hub cache " + settings.cacheDir()
					+ " and HF_HUB_OFFLINE is set, so it cannot be downloaded");
		}
		return new SnapshotDownloader(settings).download(repo, listener);
	}

	/**
	 * The name a model is served under by default: the checkpoint folder's name, or the hub id without revision (a
	 * snapshot folder is a commit hash, and clients such as agent-service name hub models by their id).
	 */
	public static String defaultName(String dirOrHubId, Path resolved) {
		String spec = dirOrHubId.strip();
		if (Files.isDirectory(Path.of(spec)) || spec.startsWith("/") || spec.startsWith(".")) {
			Path name = resolved.toAbsolutePath().normalize().getFileName();
			return name == null ? "model" : name.toString();
		}
		int at = spec.indexOf('@');
		String id = at >= 0 ? spec.substring(0, at) : spec;
		return id;
	}

}
