package dev.sightline.tools.browser;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.execute.Download;

/**
 * The downloads of one task's browser, watched on disk while they arrive. Chromium writes each into the browser's
 * downloads directory as {@code <guid>.crdownload} and renames it to {@code <guid>} when complete; a file that grows
 * past the cap is named here so the executor cancels it ({@code Browser.cancelDownload}) at the cap, long before
 * the whole file is on disk. Playwright's {@code Download.path()} and {@code createReadStream()} both wait for the
 * download to finish, so neither can enforce a cap while it arrives; they are only called here once no download is
 * in progress, when they return at once. Not thread-safe: the executor calls it under its lock, except
 * {@link #oversized()}, which only reads the directory.
 */
final class DownloadWatch {

	private static final String IN_PROGRESS = ".crdownload";

	/** A started download is finished only after this long: Chromium creates its file just after the event. */
	private static final long SETTLED_NS = 500_000_000L;

	/** A file over the cap, by guid, with the size seen. */
	record Oversized(String guid, long sizeBytes) {
	}

	private record Pending(com.microsoft.playwright.Download download, long startedNs) {
	}

	private final Path dir;

	private final long maxBytes;

	private final List<Pending> pending = new ArrayList<>();

	/** Cancelled for size, guid to the size when cancelled. */
	private final Map<String, Long> cancelled = new ConcurrentHashMap<>();

	private @Nullable CDPSession browserSession;

	private @Nullable String browserContextId;

	DownloadWatch(Path dir, long maxBytes) {
		this.dir = dir;
		this.maxBytes = maxBytes;
	}

	Path dir() {
		return dir;
	}

	void started(com.microsoft.playwright.Download download) {
		pending.add(new Pending(download, System.nanoTime()));
	}

	/** Downloads in progress that crossed the cap and are not cancelled yet. */
	List<Oversized> oversized() {
		List<Oversized> over = new ArrayList<>();
		try (Stream<Path> files = Files.list(dir)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				String name = file.getFileName().toString();
				if (!name.endsWith(IN_PROGRESS)) {
					continue;
				}
				String guid = name.substring(0, name.length() - IN_PROGRESS.length());
				long size = sizeOf(file);
				if (size > maxBytes && !cancelled.containsKey(guid)) {
					over.add(new Oversized(guid, size));
				}
			}
		}
		catch (IOException ex) {
			// The directory is gone (the executor closed): nothing to watch.
		}
		return over;
	}

	/**
	 * Cancels every download in progress that crossed the cap, through a DevTools session of the browser
	 * ({@code Browser.cancelDownload} by the guid Chromium named the file with). The caller holds the executor's lock.
	 */
	void cancelOversized(Browser browser, BrowserContext context, Page page) {
		for (Oversized download : oversized()) {
			if (browserSession == null) {
				CDPSession pageSession = context.newCDPSession(page);
				browserContextId = pageSession.send("Target.getTargetInfo")
					.getAsJsonObject("targetInfo")
					.get("browserContextId")
					.getAsString();
				pageSession.detach();
				browserSession = browser.newBrowserCDPSession();
			}
			JsonObject params = new JsonObject();
			params.addProperty("guid", download.guid());
			params.addProperty("browserContextId", browserContextId);
			browserSession.send("Browser.cancelDownload", params);
			cancelled.put(download.guid(), download.sizeBytes());
		}
	}

	/**
	 * The pending downloads, saved under {@code saveDir} (or refused), once none is in progress any more; an empty list
	 * while one is, so a long download is reported with a later action and never waited for.
	 */
	List<Download> collect(Path saveDir) {
		if (pending.isEmpty() || inProgress()
				|| pending.stream().anyMatch(p -> System.nanoTime() - p.startedNs() < SETTLED_NS)) {
			return List.of();
		}
		List<Download> finished = new ArrayList<>();
		for (Pending p : pending) {
			finished.add(save(p.download(), saveDir));
		}
		pending.clear();
		return finished;
	}

	private Download save(com.microsoft.playwright.Download download, Path saveDir) {
		String name = BrowserExecutor.safeFileName(download.suggestedFilename());
		try {
			String failure = download.failure();
			if (failure != null) {
				if (failure.contains("cancel") && !cancelled.isEmpty()) {
					long seen = cancelled.values().stream().max(Comparator.naturalOrder()).orElse(maxBytes);
					return new Download(name, download.url(), null, seen, "cancelled at " + seen
							+ " bytes: exceeds the limit of " + maxBytes + " bytes (maxDownloadBytes)");
				}
				return new Download(name, download.url(), null, 0, "download failed: " + failure);
			}
			Path temporary = download.path();
			long size = Files.size(temporary);
			if (size > maxBytes) {
				download.delete();
				return new Download(name, download.url(), null, size,
						"size " + size + " bytes exceeds the limit of " + maxBytes + " bytes (maxDownloadBytes)");
			}
			Files.createDirectories(saveDir);
			Path saved = uniquePath(saveDir, name);
			Files.move(temporary, saved);
			return new Download(name, download.url(), saved, size, null, contentType(saved));
		}
		catch (IOException | PlaywrightException ex) {
			return new Download(name, download.url(), null, 0, "download failed: " + ex.getMessage());
		}
	}

	/** The saved file's media type by its name (the system's MIME table, then the JDK's), for the task's artifact. */
	static String contentType(Path file) {
		String type = null;
		try {
			type = Files.probeContentType(file);
		}
		catch (IOException ex) {
			// Judged by name below.
		}
		if (type == null) {
			type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
		}
		return type == null ? Download.UNKNOWN_TYPE : type;
	}

	private boolean inProgress() {
		try (Stream<Path> files = Files.list(dir)) {
			return files.anyMatch(f -> f.getFileName().toString().endsWith(IN_PROGRESS));
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static long sizeOf(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			// Renamed or deleted between listing and sizing.
			return 0;
		}
	}

	private static Path uniquePath(Path dir, String name) {
		Path path = dir.resolve(name);
		for (int i = 1; Files.exists(path); i++) {
			path = dir.resolve(i + "-" + name);
		}
		return path;
	}

	/** Deletes the directory and whatever is left in it. */
	void delete() {
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			// Left for the OS's temp cleaning; it holds only this task's partial downloads.
		}
	}

}
