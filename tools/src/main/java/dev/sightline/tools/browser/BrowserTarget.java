package dev.sightline.tools.browser;

import java.nio.file.Path;
import java.util.List;

import dev.sightline.net.NavigationPolicy;
import dev.sightline.tools.execute.UploadFile;

/**
 * What a browser task opens: the start URL, the viewport in CSS pixels, the device pixel ratio, the navigation
 * policy, where downloads go and the files a file chooser is offered.
 */
public record BrowserTarget(String url, int viewportWidth, int viewportHeight, double deviceScaleFactor,
		NavigationPolicy policy, Path downloadDir, List<UploadFile> uploads) {

	/** Browsers cap viewports near this; larger ones are configuration mistakes. */
	public static final int MAX_VIEWPORT_PX = 7_680;

	public BrowserTarget {
		if (viewportWidth < 100 || viewportWidth > MAX_VIEWPORT_PX || viewportHeight < 100
				|| viewportHeight > MAX_VIEWPORT_PX) {
			throw new IllegalArgumentException("viewport must be within 100.." + MAX_VIEWPORT_PX + " px on each side, got "
					+ viewportWidth + "x" + viewportHeight);
		}
		if (!(deviceScaleFactor >= 0.5 && deviceScaleFactor <= 4)) {
			throw new IllegalArgumentException("device scale factor must be within [0.5, 4], got " + deviceScaleFactor);
		}
		uploads = List.copyOf(uploads);
	}

	public BrowserTarget(String url, int viewportWidth, int viewportHeight, double deviceScaleFactor,
			NavigationPolicy policy, Path downloadDir) {
		this(url, viewportWidth, viewportHeight, deviceScaleFactor, policy, downloadDir, List.of());
	}

	/** A 1280x720 viewport at DPR 1 with the default policy, downloads under {@code downloadDir}. */
	public static BrowserTarget of(String url, Path downloadDir) {
		return new BrowserTarget(url, 1280, 720, 1, NavigationPolicy.defaults(), downloadDir);
	}

	public BrowserTarget withViewport(int widthPx, int heightPx, double deviceScaleFactor) {
		return new BrowserTarget(url, widthPx, heightPx, deviceScaleFactor, policy, downloadDir, uploads);
	}

	public BrowserTarget withPolicy(NavigationPolicy policy) {
		return new BrowserTarget(url, viewportWidth, viewportHeight, deviceScaleFactor, policy, downloadDir, uploads);
	}

	/** The same target offering {@code uploads} to the page's file choosers. */
	public BrowserTarget withUploads(List<UploadFile> uploads) {
		return new BrowserTarget(url, viewportWidth, viewportHeight, deviceScaleFactor, policy, downloadDir, uploads);
	}

}
