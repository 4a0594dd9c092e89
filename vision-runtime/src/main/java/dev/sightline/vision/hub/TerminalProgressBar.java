package dev.sightline.vision.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws a download as one self-rewriting line on a terminal ({@code \r}); on a log (no console) prints a line per
 * 10 % instead, so logs stay readable.
 */
public final class TerminalProgressBar implements DownloadListener {

	private static final int WIDTH = 30;

	private static final long REDRAW_NANOS = 200_000_000L;

	private final PrintStream out;

	private final boolean interactive;

	private final long startNanos = System.nanoTime();

	private long lastDrawNanos;

	private int lastDecile = -1;

	public TerminalProgressBar(PrintStream out, boolean interactive) {
		this.out = out;
		this.interactive = interactive;
	}

	/** A bar on standard error, redrawn in place when a console is attached. */
	public static TerminalProgressBar onStandardError() {
		return new TerminalProgressBar(System.err, System.console() != null);
	}

	@Override
	public void onProgress(DownloadProgress progress) {
		long now = System.nanoTime();
		boolean done = progress.complete();
		if (interactive) {
			if (!done && now - lastDrawNanos < REDRAW_NANOS) {
				return;
			}
			lastDrawNanos = now;
			out.print("\r" + line(progress, now) + (done ? System.lineSeparator() : ""));
			out.flush();
			return;
		}
		int decile = (int) Math.floor(progress.fraction() * 10);
		if (decile != lastDecile || done && lastDecile != 11) {
			lastDecile = done ? 11 : decile;
			out.println(line(progress, now));
		}
	}

	String line(DownloadProgress progress, long nowNanos) {
		int filled = (int) Math.round(progress.fraction() * WIDTH);
		double seconds = Math.max(1e-3, (nowNanos - startNanos) / 1e9);
		return String.format(Locale.ROOT, "%s [%s%s] %3.0f%% %s/%s %s/s files %d/%d", progress.repo(),
				"#".repeat(filled), " ".repeat(WIDTH - filled), progress.fraction() * 100, bytes(progress.doneBytes()),
				bytes(progress.totalBytes()), bytes((long) (progress.doneBytes() / seconds)), progress.filesDone(),
				progress.filesTotal());
	}

	static String bytes(long value) {
		if (value < 1024) {
			return value + " B";
		}
		String[] units = { "KiB", "MiB", "GiB", "TiB" };
		double scaled = value;
		int unit = -1;
		while (scaled >= 1024 && unit < units.length - 1) {
			scaled /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", scaled, units[unit]);
	}

}
