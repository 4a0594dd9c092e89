package dev.sightline.tools.browser;

import java.util.Base64;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.ScreenshotType;
import org.jspecify.annotations.Nullable;

/**
 * Captures the visible viewport as PNG in device pixels through the DevTools protocol
 * ({@code Page.captureScreenshot} with {@code optimizeForSpeed}): the same pixels as Playwright's
 * {@code page.screenshot()}, without its preparation round trips (caret hiding in every frame, font and animation
 * waits), about a third of its time here. The clip is the viewport at the page's scroll offset, scaled by the device
 * pixel ratio, since a second DevTools session does not see Playwright's device emulation. Falls back to
 * {@code page.screenshot()} for browsers without a DevTools session, and when a just-committed document has no frame
 * to capture yet.
 * <p>
 * Differences from Playwright's default: a focused field's text caret is not hidden (a person sees it too, and it
 * shows the model where typing goes), and web fonts are not awaited (the executor's settle wait already waits for
 * requests to finish).
 */
final class ViewportCapture {

	private final int viewportWidthCss;

	private final int viewportHeightCss;

	private final double deviceScaleFactor;

	private @Nullable Page sessionPage;

	private @Nullable CDPSession session;

	private boolean unsupported;

	ViewportCapture(int viewportWidthCss, int viewportHeightCss, double deviceScaleFactor) {
		this.viewportWidthCss = viewportWidthCss;
		this.viewportHeightCss = viewportHeightCss;
		this.deviceScaleFactor = deviceScaleFactor;
	}

	byte[] png(Page page) {
		CDPSession cdp = session(page);
		if (cdp == null) {
			return page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.PNG));
		}
		JsonObject viewport = cdp.send("Page.getLayoutMetrics").getAsJsonObject("cssVisualViewport");
		JsonObject clip = new JsonObject();
		clip.addProperty("x", viewport.get("pageX").getAsDouble());
		clip.addProperty("y", viewport.get("pageY").getAsDouble());
		clip.addProperty("width", viewportWidthCss);
		clip.addProperty("height", viewportHeightCss);
		clip.addProperty("scale", deviceScaleFactor);
		JsonObject params = new JsonObject();
		params.addProperty("format", "png");
		params.addProperty("optimizeForSpeed", true);
		params.addProperty("captureBeyondViewport", false);
		params.addProperty("fromSurface", true);
		params.add("clip", clip);
		try {
			return Base64.getDecoder().decode(cdp.send("Page.captureScreenshot", params).get("data").getAsString());
		}
		catch (PlaywrightException ex) {
			String message = String.valueOf(ex.getMessage());
			boolean noFrameYet = message.contains("Unable to capture screenshot");
			boolean sessionLost = message.contains("Not attached to an active page");
			if (!noFrameYet && !sessionLost) {
				throw ex;
			}
			if (sessionLost) {
				// The page's target was swapped under the session while a navigation committed (seen right after a
				// form submit): the next capture opens a new session.
				detach();
			}
			// Just after a navigation commits the new document may have no frame yet (seen right after a form
			// submit); Playwright's own screenshot waits for one, within its timeout.
			return page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.PNG));
		}
	}

	/** The DevTools session of {@code page}, opened on first use and again when the current page changes. */
	@Nullable CDPSession session(Page page) {
		if (unsupported) {
			return null;
		}
		if (session != null && sessionPage == page && !page.isClosed()) {
			return session;
		}
		detach();
		try {
			session = page.context().newCDPSession(page);
			sessionPage = page;
			return session;
		}
		catch (PlaywrightException ex) {
			// Firefox and WebKit have no DevTools protocol; Playwright's screenshot works everywhere.
			unsupported = true;
			return null;
		}
	}

	void detach() {
		CDPSession old = session;
		session = null;
		sessionPage = null;
		if (old != null) {
			try {
				old.detach();
			}
			catch (PlaywrightException ignored) {
				// The page (and its session) is already gone.
			}
		}
	}

}
