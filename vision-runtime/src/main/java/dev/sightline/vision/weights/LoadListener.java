package dev.sightline.vision.weights;

/** Told after each tensor is on the device, so a service or CLI can draw a progress bar. */
@FunctionalInterface
public interface LoadListener {

	LoadListener NONE = (bytesDone, bytesTotal, tensorsDone, tensorsTotal) -> {
	};

	/** Bytes are the on-disk sizes of the tensors read so far. */
	void onProgress(long bytesDone, long bytesTotal, int tensorsDone, int tensorsTotal);

}
