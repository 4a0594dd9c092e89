package dev.sightline.vision.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * Downloads one file into its {@code .incomplete} blob, resuming with an HTTP Range request after an interruption
 * (here or in an earlier run), verifies its digest while it streams, and moves it into place.
 */
final class FileDownloader {

	private static final int BUFFER_BYTES = 1 << 20;

	private final HubHttp http;

	private final int attempts;

	FileDownloader(HubHttp http, int attempts) {
		this.http = http;
		this.attempts = attempts;
	}

	/**
	 * Downloads {@code url} into {@code blob} (via {@code incomplete}); {@code onBytesOnDisk} gets the file's bytes on
	 * disk after every chunk.
	 */
	void download(RepoFile file, URI url, Path incomplete, Path blob, LongConsumer onBytesOnDisk) {
		IOException last = null;
		for (int attempt = 1; attempt <= attempts; attempt++) {
			try {
				if (transfer(file, url, incomplete, onBytesOnDisk)) {
					verifyAndMove(file, incomplete, blob);
					return;
				}
			}
			catch (IOException e) {
				last = e;
			}
			if (attempt < attempts) {
				sleepBeforeRetry(attempt);
			}
		}
		throw new HubException("download of '" + file.path() + "' from " + url + " failed after " + attempts
				+ " attempts (the partial file " + incomplete + " is kept and resumed next time)"
				+ (last == null ? "" : ": " + last), last);
	}

	/** One attempt; true once the file is complete on disk, false after a short read that a retry can resume. */
	private boolean transfer(RepoFile file, URI url, Path incomplete, LongConsumer onBytesOnDisk) throws IOException {
		Files.createDirectories(incomplete.getParent());
		long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
		if (have > file.sizeBytes()) {
			Files.delete(incomplete);
			have = 0;
		}
		if (have == file.sizeBytes()) {
			onBytesOnDisk.accept(have);
			return true;
		}
		HttpResponse<InputStream> response = http.get(url, have);
		int status = response.statusCode();
		boolean append;
		if (status == 206 && have > 0) {
			append = true;
		}
		else if (status == 200) {
			// The server ignored the Range header: start over.
			append = false;
			have = 0;
		}
		else {
			response.body().close();
			if (status == 416) {
				// Our partial file does not fit what the server has: start over next attempt.
				Files.deleteIfExists(incomplete);
				return false;
			}
			throw HubHttp.failure(status, "download of '" + file.path() + "'", url);
		}
		try (InputStream in = response.body();
				OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE,
						append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
						StandardOpenOption.WRITE)) {
			byte[] buffer = new byte[BUFFER_BYTES];
			int n;
			while (have < file.sizeBytes() && (n = in.read(buffer)) >= 0) {
				if (have + n > file.sizeBytes()) {
					throw new HubException("'" + file.path() + "' is larger than the " + file.sizeBytes()
							+ " bytes the hub's metadata announced");
				}
				out.write(buffer, 0, n);
				have += n;
				onBytesOnDisk.accept(have);
			}
		}
		return have == file.sizeBytes();
	}

	private static void verifyAndMove(RepoFile file, Path incomplete, Path blob) throws IOException {
		String actual = digest(file, incomplete);
		String expected = file.blobName();
		if (!actual.equalsIgnoreCase(expected)) {
			Files.deleteIfExists(incomplete);
			throw new ChecksumMismatchException("'" + file.path() + "' is corrupt: its "
					+ (file.sha256().isPresent() ? "sha256" : "git blob sha1") + " is " + actual + " but the hub says "
					+ expected + " (the download was deleted; run again to download it anew)");
		}
		Files.move(incomplete, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * The file's digest in the hub's terms: sha256 for LFS files, git's blob sha1 for the others. Computed over the
	 * complete file after the transfer, so resumed parts from earlier runs are verified too.
	 */
	static String digest(RepoFile file, Path path) throws IOException {
		MessageDigest digest;
		try {
			if (file.sha256().isPresent()) {
				digest = MessageDigest.getInstance("SHA-256");
			}
			else {
				digest = MessageDigest.getInstance("SHA-1");
				digest.update(("blob " + Files.size(path) + "\0").getBytes(StandardCharsets.US_ASCII));
			}
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("the JDK lacks SHA-256 or SHA-1", e);
		}
		try (InputStream in = Files.newInputStream(path)) {
			byte[] buffer = new byte[BUFFER_BYTES];
			int n;
			while ((n = in.read(buffer)) >= 0) {
				digest.update(buffer, 0, n);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	private static void sleepBeforeRetry(int attempt) {
		try {
			Thread.sleep(Math.min(8_000, 250L << Math.min(attempt, 5)));
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new HubException("download interrupted");
		}
	}

}
