package dev.sightline.vision.hub;

/**
 * Where a snapshot download stands; sent on every chunk written, so a dashboard can draw a bar per file and one for
 * the whole model.
 *
 * @param repo the repository being downloaded
 * @param file the file that just made progress (empty on the first and last event)
 * @param fileDoneBytes bytes of that file on disk
 * @param fileTotalBytes size of that file
 * @param doneBytes bytes of the whole download on disk, resumed parts and cached files included
 * @param totalBytes size of the whole download
 * @param filesDone files completed and verified
 * @param filesTotal files in the download
 */
public record DownloadProgress(String repo, String file, long fileDoneBytes, long fileTotalBytes, long doneBytes,
		long totalBytes, int filesDone, int filesTotal) {

	public double fraction() {
		return totalBytes == 0 ? 1 : (double) doneBytes / totalBytes;
	}

	public boolean complete() {
		return filesDone == filesTotal;
	}

}
