package dev.sightline.vision.hub;

import java.util.Optional;

/**
 * One file of a repository snapshot as the hub's metadata describes it.
 *
 * @param path path inside the repository ({@code rfilename}), '/'-separated
 * @param sizeBytes size of the content that will be downloaded
 * @param sha256 for LFS files (weights): hex sha256 of the content, also the blob's name in the cache
 * @param gitBlobId for plain git files (configs): hex git blob sha1 ({@code "blob <size>\0" + content})
 */
public record RepoFile(String path, long sizeBytes, Optional<String> sha256, Optional<String> gitBlobId) {

	public RepoFile {
		if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.contains("..")) {
			throw new HubException("unsafe repository file name '" + path + "'");
		}
		if (sizeBytes < 0) {
			throw new HubException("negative size " + sizeBytes + " for repository file '" + path + "'");
		}
		if (sha256.isEmpty() && gitBlobId.isEmpty()) {
			throw new HubException("the hub gave neither an LFS sha256 nor a blob id for '" + path
					+ "', so it cannot be verified");
		}
	}

	/** The name of this file's blob in the cache: the etag huggingface_hub uses (sha256 or git blob id). */
	public String blobName() {
		return sha256.or(() -> gitBlobId).orElseThrow();
	}

}
