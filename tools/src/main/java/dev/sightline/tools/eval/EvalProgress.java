package dev.sightline.tools.eval;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The runner's progress bar: one self-rewriting line on a console ({@code \r}), a line per 10 % on a log. Shows done
 * / total, the hit rate so far and the time left at the current pace.
 */
final class EvalProgress {

	interface Listener {

		void onResult(int done, int total, int hits);

		Listener NONE = (done, total, hits) -> {
		};

	}

	private static final int WIDTH = 30;

	private EvalProgress() {
	}

	static Listener on(PrintStream out, boolean interactive) {
		long startNanos = System.nanoTime();
		int[] lastDecile = { -1 };
		return (done, total, hits) -> {
			int decile = total == 0 ? 10 : done * 10 / total;
			if (!interactive && decile == lastDecile[0] && done != total) {
				return;
			}
			lastDecile[0] = decile;
			double seconds = (System.nanoTime() - startNanos) / 1e9;
			double leftS = done == 0 ? 0 : seconds / done * (total - done);
			int filled = total == 0 ? WIDTH : done * WIDTH / total;
			String line = String.format(Locale.ROOT, "grounding [%s%s] %d/%d  hits %.1f%%  %.0f s left",
					"#".repeat(filled), " ".repeat(WIDTH - filled), done, total,
					done == 0 ? 0.0 : 100.0 * hits / done, leftS);
			synchronized (out) {
				if (interactive) {
					out.print("\r" + line + (done == total ? System.lineSeparator() : ""));
				}
				else {
					out.println(line);
				}
				out.flush();
			}
		};
	}

}
