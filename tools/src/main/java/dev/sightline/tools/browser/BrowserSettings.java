package dev.sightline.tools.browser;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link BrowserPool}.
 *
 * @param maxContexts tasks that may hold a browser context at once (default 4); {@code open} beyond it fails
 * @param settleTimeoutMs the longest an action waits for its navigation or network activity to finish (default
 * 5000)
 * @param settleGraceMs how long after sending an input action the executor listens for a navigation or request it
 * started (default 15; the input's own round trip counts toward it): the cost of every action, so keep it small
 * @param navigationTimeoutMs the longest a {@code navigate}, {@code back}, {@code forward} or {@code reload} waits
 * for the page's load event (default 30000)
 * @param maxDownloadBytes downloads larger than this are deleted and recorded as failed (default 50 MiB)
 * @param chromiumPath the Chromium to use when Playwright's own browsers are absent; {@code null} = env
 * {@code SIGHTLINE_CHROMIUM_PATH}, else {@code /usr/bin/chromium}
 * @param dialogTimeoutMs how long a JavaScript dialog waits for the model's {@code dialog} action before the executor
 * dismisses it with a note (default 120000: a few model steps), so a task cannot hang on one
 */
public record BrowserSettings(int maxContexts, long settleTimeoutMs, long settleGraceMs, long navigationTimeoutMs,
		long maxDownloadBytes, @Nullable Path chromiumPath, long dialogTimeoutMs) {

	/** The default of {@code dialogTimeoutMs}. */
	public static final long DEFAULT_DIALOG_TIMEOUT_MS = 120_000;

	public BrowserSettings {
		if (maxContexts < 1 || maxContexts > 256) {
			throw new IllegalArgumentException("maxContexts must be within [1, 256], got " + maxContexts);
		}
		if (settleTimeoutMs < 0 || settleGraceMs < 0 || navigationTimeoutMs < 1 || maxDownloadBytes < 0) {
			throw new IllegalArgumentException("browser timeouts and limits must not be negative: " + settleTimeoutMs
					+ ", " + settleGraceMs + ", " + navigationTimeoutMs + ", " + maxDownloadBytes);
		}
		if (dialogTimeoutMs < 1 || dialogTimeoutMs > 3_600_000) {
			throw new IllegalArgumentException(
					"dialogTimeoutMs must be within [1, 3600000] ms, got " + dialogTimeoutMs);
		}
	}

	public BrowserSettings(int maxContexts, long settleTimeoutMs, long settleGraceMs, long navigationTimeoutMs,
			long maxDownloadBytes, @Nullable Path chromiumPath) {
		this(maxContexts, settleTimeoutMs, settleGraceMs, navigationTimeoutMs, maxDownloadBytes, chromiumPath,
				DEFAULT_DIALOG_TIMEOUT_MS);
	}

	public static BrowserSettings defaults() {
		return new BrowserSettings(4, 5_000, 15, 30_000, 50L * 1024 * 1024, null);
	}

	public BrowserSettings withMaxContexts(int maxContexts) {
		return new BrowserSettings(maxContexts, settleTimeoutMs, settleGraceMs, navigationTimeoutMs, maxDownloadBytes,
				chromiumPath, dialogTimeoutMs);
	}

	public BrowserSettings withSettleGraceMs(long settleGraceMs) {
		return new BrowserSettings(maxContexts, settleTimeoutMs, settleGraceMs, navigationTimeoutMs, maxDownloadBytes,
				chromiumPath, dialogTimeoutMs);
	}

	public BrowserSettings withMaxDownloadBytes(long maxDownloadBytes) {
		return new BrowserSettings(maxContexts, settleTimeoutMs, settleGraceMs, navigationTimeoutMs, maxDownloadBytes,
				chromiumPath, dialogTimeoutMs);
	}

	public BrowserSettings withDialogTimeoutMs(long dialogTimeoutMs) {
		return new BrowserSettings(maxContexts, settleTimeoutMs, settleGraceMs, navigationTimeoutMs, maxDownloadBytes,
				chromiumPath, dialogTimeoutMs);
	}

}
