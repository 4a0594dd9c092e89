package dev.sightline.vision.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Downloads a repository's model files into the hub cache, several files at a time, and returns the snapshot
 * directory. Blobs already in the cache (from us or from Python tools) are reused.
 */
public final class SnapshotDownloader {

	private final HubSettings settings;

	private final HubCache cache;

	private final HubHttp http;

	public SnapshotDownloader(HubSettings settings) {
		this.settings = settings;
		this.cache = new HubCache(settings.cacheDir());
		this.http = new HubHttp(settings);
	}

	public Path download(RepoId repo, DownloadListener listener) {
		RepoSnapshot snapshot = http.snapshot(repo);
		List<RepoFile> files = snapshot.modelFiles();
		if (files.stream().noneMatch(f -> f.path().equals("config.json"))) {
			throw new HubException(repo + " has no config.json at commit " + snapshot.commit()
					+ ": it is not a transformers checkpoint");
		}
		Progress progress = new Progress(repo.id(), files, listener);
		FileDownloader downloader = new FileDownloader(http, settings.attemptsPerFile());
		List<Future<?>> futures = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(settings.parallelDownloads(),
				Thread.ofVirtual().name("hub-download-", 0).factory())) {
			for (RepoFile file : files) {
				futures.add(pool.submit(() -> {
					fetch(repo, snapshot.commit(), file, downloader, progress);
					return null;
				}));
			}
			for (Future<?> future : futures) {
				try {
					future.get();
				}
				catch (ExecutionException e) {
					futures.forEach(f -> f.cancel(true));
					if (e.getCause() instanceof RuntimeException runtime) {
						throw runtime;
					}
					throw new HubException("download of " + repo + " failed: " + e.getCause(), e.getCause());
				}
				catch (InterruptedException e) {
					futures.forEach(f -> f.cancel(true));
					Thread.currentThread().interrupt();
					throw new HubException("download of " + repo + " interrupted");
				}
			}
		}
		cache.writeRef(repo, snapshot.commit());
		return cache.snapshotDir(repo, snapshot.commit());
	}

	private void fetch(RepoId repo, String commit, RepoFile file, FileDownloader downloader, Progress progress)
			throws IOException {
		Path blob = cache.blob(repo, file);
		if (!(Files.isRegularFile(blob) && Files.size(blob) == file.sizeBytes())) {
			downloader.download(file, http.resolveUrl(repo, commit, file), cache.incomplete(repo, file), blob,
					bytes -> progress.update(file, bytes));
		}
		cache.link(repo, commit, file);
		progress.completed(file);
	}

	/** Sums per-file progress into whole-download events, one listener call at a time. */
	private static final class Progress {

		private final String repo;

		private final Map<String, Long> doneByFile = new HashMap<>();

		private final long totalBytes;

		private final int filesTotal;

		private final DownloadListener listener;

		private long doneBytes;

		private int filesDone;

		Progress(String repo, List<RepoFile> files, DownloadListener listener) {
			this.repo = repo;
			this.totalBytes = files.stream().mapToLong(RepoFile::sizeBytes).sum();
			this.filesTotal = files.size();
			this.listener = listener;
			listener.onProgress(new DownloadProgress(repo, "", 0, 0, 0, totalBytes, 0, filesTotal));
		}

		synchronized void update(RepoFile file, long fileBytes) {
			long before = doneByFile.getOrDefault(file.path(), 0L);
			doneByFile.put(file.path(), fileBytes);
			doneBytes += fileBytes - before;
			listener.onProgress(new DownloadProgress(repo, file.path(), fileBytes, file.sizeBytes(), doneBytes,
					totalBytes, filesDone, filesTotal));
		}

		synchronized void completed(RepoFile file) {
			long before = doneByFile.getOrDefault(file.path(), 0L);
			doneByFile.put(file.path(), file.sizeBytes());
			doneBytes += file.sizeBytes() - before;
			filesDone++;
			listener.onProgress(new DownloadProgress(repo, file.path(), file.sizeBytes(), file.sizeBytes(), doneBytes,
					totalBytes, filesDone, filesTotal));
		}

	}

}
