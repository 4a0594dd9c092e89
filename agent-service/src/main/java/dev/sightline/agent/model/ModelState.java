package dev.sightline.agent.model;

import org.jspecify.annotations.Nullable;

/**
 * Whether a backend can answer now.
 *
 * @param backend {@code in-process} or {@code openai}
 * @param name checkpoint or served model name
 * @param ready true when generations can be requested
 * @param reason why not ready; empty when ready
 * @param fix what an operator should do; empty when ready
 * @param progress how far a download or a load has come, while one runs; null otherwise
 */
public record ModelState(String backend, String name, boolean ready, String reason, String fix,
		@Nullable Progress progress) {

	/** Loading phases: bytes of the whole download (files) or of the weights read (tensors). */
	public enum Phase {

		DOWNLOADING, LOADING;

		public String wireName() {
			return this == DOWNLOADING ? "downloading" : "loading";
		}

	}

	/**
	 * Progress of one phase.
	 *
	 * @param doneBytes bytes on disk (downloading) or read into the runtime (loading)
	 * @param totalBytes bytes in all
	 * @param unitsDone files downloaded and verified, or tensors loaded
	 * @param unitsTotal files or tensors in all
	 */
	public record Progress(Phase phase, long doneBytes, long totalBytes, int unitsDone, int unitsTotal) {

		public double fraction() {
			return totalBytes <= 0 ? 0 : Math.min(1, (double) doneBytes / totalBytes);
		}

		public int percent() {
			return (int) Math.floor(fraction() * 100);
		}

		public String unit() {
			return phase == Phase.DOWNLOADING ? "files" : "tensors";
		}

		/** "loading: 1.2 of 7.5 GB, 120 of 824 tensors (16 %)". */
		public String describe() {
			return phase.wireName() + ": " + gigabytes(doneBytes) + " of " + gigabytes(totalBytes) + ", " + unitsDone
					+ " of " + unitsTotal + " " + unit() + " (" + percent() + " %)";
		}

		private static String gigabytes(long bytes) {
			return bytes >= 1L << 30 ? String.format(java.util.Locale.ROOT, "%.2f GB", bytes / 1e9)
					: String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
		}

	}

	public ModelState(String backend, String name, boolean ready, String reason, String fix) {
		this(backend, name, ready, reason, fix, null);
	}

	public static ModelState ready(String backend, String name) {
		return new ModelState(backend, name, true, "", "", null);
	}

	public static ModelState unavailable(String backend, String name, String reason, String fix) {
		return new ModelState(backend, name, false, reason, fix, null);
	}

	/** Not ready yet because it is still coming: the reason is the progress in words. */
	public static ModelState loading(String backend, String name, Progress progress) {
		return new ModelState(backend, name, false, progress.describe(),
				"wait: the model becomes ready when " + progress.phase().wireName() + " finishes", progress);
	}

	/** True while a download or load runs (not ready, but no operator action needed). */
	public boolean inProgress() {
		return !ready && (progress != null || reason.equals("loading"));
	}

}
