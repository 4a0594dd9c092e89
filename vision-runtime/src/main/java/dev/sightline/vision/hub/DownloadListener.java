package dev.sightline.vision.hub;

/** Receives download progress; called from download threads, one call at a time. */
@FunctionalInterface
public interface DownloadListener {

	DownloadListener NONE = progress -> {
	};

	void onProgress(DownloadProgress progress);

}
