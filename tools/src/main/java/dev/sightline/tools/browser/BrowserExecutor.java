package dev.sightline.tools.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.Proxy;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import com.microsoft.playwright.options.WaitUntilState;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.Action;
import dev.sightline.tools.actions.AnswerDialog;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Download;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.HandledDialog;
import dev.sightline.tools.execute.OpenDialog;
import dev.sightline.tools.execute.PageEvent;
import dev.sightline.tools.execute.PointInfo;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.execute.ScreenshotMask;

/**
 * One task's browser: a Chromium of its own (its own Playwright connection, so its calls never wait for another
 * task's), one context with the viewport and device pixel ratio of its {@link BrowserTarget}, every action through
 * Playwright's mouse and keyboard at mapped CSS pixels. Calls are serialized by this executor's lock only. The
 * navigation policy is enforced below Playwright: the context's traffic goes through the task's own
 * {@link FilteringProxy}, so every redirect hop, subresource, fetch, WebSocket, beacon, prefetch and popup meets the
 * policy on the connection it makes; the browser itself is launched with the network flags and the pool's deny-all
 * proxy, so nothing outside the context goes anywhere. A route handler refuses the schemes no proxy sees
 * ({@code data:}, {@code blob:}, {@code file:}, ...); service workers stay blocked as a second layer. JavaScript
 * dialogs stay open until the model answers them ({@link DialogHandling}, drawn onto screenshots by
 * {@link DialogAnnotation}); popups and new tabs become the current page and file choosers get the task's files
 * ({@link PageFollower}); downloads are watched while they arrive and cancelled at the size limit
 * ({@link DownloadWatch}), kept ones are moved under the target's download directory.
 * Page inspection and secret-field masking run in an {@link PageWorld isolated world} the page cannot patch.
 */
public final class BrowserExecutor implements Executor {

	private static final Set<String> LOADABLE_SCHEMES = Set.of("http", "https", "ws", "wss");

	/**
	 * What the route sees: everything but http(s) and ws(s). A regular expression is matched inside Playwright's
	 * driver, so the proxied schemes are never intercepted: they do not wait for this client between steps, and cost
	 * nothing per request.
	 */
	private static final Pattern NOT_PROXIED = Pattern.compile("^(?!(https?|wss?):).*", Pattern.CASE_INSENSITIVE);

	/** How often the download watcher looks at the downloads directory. */
	private static final long WATCH_INTERVAL_MS = 50;

	private final BrowserPool pool;

	private final Playwright playwright;

	private final Browser browser;

	private final BrowserTarget target;

	private final BrowserSettings settings;

	private final BrowserContext context;

	private final ViewportCapture capture;

	/** Serializes every Playwright call on this task's connection: the task's thread and the download watcher. */
	private final ReentrantLock lock = new ReentrantLock();

	private final DownloadWatch downloadWatch;

	private Page page;

	/** Every connection of this context goes through this proxy, which enforces the target's policy. */
	private final FilteringProxy proxy;

	/** Written by the proxy's threads and the route handler, read by the task. */
	private final List<BlockedRequest> blocked;

	private final DialogHandling dialogHandling;

	private final PageFollower follower;

	private final List<Download> downloads = new ArrayList<>();

	private final SecretFields secretFields = new SecretFields();

	/** The last capture, shown with an open dialog drawn on while the page cannot be captured. */
	private volatile @Nullable Screenshot lastShot;

	/** The boxes painted last; null paints the whole frame. */
	private @Nullable List<ScreenshotMask.Box> lastSecretBoxes;

	private int inflightRequests;

	private boolean navigated;

	private boolean pageCrashed;

	/** When the current action's input was sent: the settle grace counts from here. */
	private long inputSentNs;

	/** Performs actions on the current page (the same code the test library's act runs). */
	private final PageInput input = new PageInput(new OwnNavigation());

	private volatile boolean closed;

	/**
	 * Starts the task's filtering proxy, then its Playwright and Chromium (network flags, the pool's deny-all proxy
	 * at launch, the task's proxy on its context), and opens its context; everything started is closed on failure.
	 */
	static BrowserExecutor launch(BrowserPool pool, BrowserTarget target) {
		Path downloadsDir;
		try {
			downloadsDir = Files.createTempDirectory("sightline-downloads-");
		}
		catch (IOException ex) {
			throw new ToolsException("cannot create a downloads directory: " + ex.getMessage(), ex);
		}
		// Written by the proxy's threads and the route handler, read by the task.
		List<BlockedRequest> blocked = new CopyOnWriteArrayList<>();
		FilteringProxy proxy = null;
		Playwright playwright = null;
		try {
			proxy = FilteringProxy.start(target.policy(), pool.resolver(), blocked::add);
			playwright = BrowserLauncher.playwright();
			Browser browser = BrowserLauncher.launch(playwright, pool.settings(), pool.denyAllProxyUrl(), downloadsDir);
			return new BrowserExecutor(pool, playwright, browser, proxy, blocked, target, downloadsDir);
		}
		catch (RuntimeException ex) {
			closeQuietly(playwright);
			if (proxy != null) {
				proxy.close();
			}
			new DownloadWatch(downloadsDir, 0).delete();
			if (ex instanceof PlaywrightException) {
				throw new ToolsException("cannot start Chromium: " + ex.getMessage(), ex);
			}
			throw ex;
		}
	}

	private BrowserExecutor(BrowserPool pool, Playwright playwright, Browser browser, FilteringProxy proxy,
			List<BlockedRequest> blocked, BrowserTarget target, Path downloadsDir) {
		this.pool = pool;
		this.playwright = playwright;
		this.browser = browser;
		this.proxy = proxy;
		this.blocked = blocked;
		this.target = target;
		this.settings = pool.settings();
		this.downloadWatch = new DownloadWatch(downloadsDir, settings.maxDownloadBytes());
		this.capture = new ViewportCapture(target.viewportWidth(), target.viewportHeight(), target.deviceScaleFactor());
		this.dialogHandling = new DialogHandling(settings.dialogTimeoutMs());
		this.follower = new PageFollower(target.uploads());
		// The context's proxy is the task's (its policy, its blocked list). A failure from here on is cleaned up by
		// launch: closing Playwright closes this browser and its context.
		this.context = browser.newContext(new Browser.NewContextOptions()
			.setViewportSize(target.viewportWidth(), target.viewportHeight())
			.setDeviceScaleFactor(target.deviceScaleFactor())
			.setAcceptDownloads(true)
			.setProxy(new Proxy(proxy.url()).setBypass("<-loopback>"))
			.setServiceWorkers(ServiceWorkerPolicy.BLOCK));
		context.route(NOT_PROXIED, this::routeRequest);
		context.onRequest(request -> inflightRequests++);
		context.onRequestFinished(request -> inflightRequests = Math.max(0, inflightRequests - 1));
		context.onRequestFailed(request -> inflightRequests = Math.max(0, inflightRequests - 1));
		context.onPage(popup -> {
			// A popup or new tab takes over: the model sees and acts on what a person would look at.
			watch(popup);
			follower.opened(popup);
			page = follower.current();
			navigated = true;
		});
		// onPage above also fires for this first page and watches it.
		this.page = context.newPage();
		Thread.ofVirtual().name("download-watch").start(this::watchDownloads);
	}

	void start() {
		guard("open " + target.url(), () -> {
			navigateTo(target.url());
			return null;
		});
	}

	/** Whether this task's browser is still connected. */
	boolean connected() {
		return !closed && browser.isConnected();
	}

	private void watch(Page watched) {
		watched.onDialog(dialogHandling::opened);
		watched.onFileChooser(follower::fileChooser);
		watched.onDownload(downloadWatch::started);
		watched.onCrash(crashed -> pageCrashed = true);
		watched.onFrameNavigated(frame -> {
			if (frame.parentFrame() == null) {
				navigated = true;
			}
		});
		watched.onClose(closedPage -> {
			follower.closed(closedPage, context.pages());
			page = follower.current();
		});
	}

	/**
	 * The second layer: schemes the proxy never sees ({@code data:}, {@code blob:}, {@code file:}, {@code chrome:},
	 * ...) are refused here; hosts and addresses are the proxy's to judge, on the connection itself.
	 */
	private void routeRequest(Route route) {
		Request request = route.request();
		String url = request.url();
		String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
		if (LOADABLE_SCHEMES.contains(scheme)) {
			route.resume();
			return;
		}
		blocked.add(new BlockedRequest(url, request.resourceType(),
				"scheme '" + scheme + ":' is not loadable (only http and https)"));
		route.abort("blockedbyclient");
	}

	static String safeFileName(String suggested) {
		String name = suggested.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "");
		if (name.isEmpty()) {
			name = "download";
		}
		return name.length() > 100 ? name.substring(name.length() - 100) : name;
	}

	@Override
	public Screenshot screenshot() {
		guardDirect("screenshot", () -> {
			dialogHandling.expireOverdue();
			return null;
		});
		OpenDialog dialog = dialogHandling.openDialog();
		if (dialog != null) {
			// The page's renderer is stopped under the dialog and would never answer a capture; its scripts cannot
			// change the page meanwhile, so the last capture shows it, with the dialog drawn on.
			return DialogAnnotation.draw(lastShot != null ? lastShot : DialogAnnotation.blank(target), dialog);
		}
		// Chromium's PNG is kept for the recording; the pixels are decoded once, when the model needs them.
		Screenshot shot = guard("screenshot",
				() -> Screenshot.ofPng(capture.png(page), target.deviceScaleFactor(), Instant.now()));
		lastShot = shot;
		return shot;
	}

	@Override
	public ActionOutcome execute(Action action, CoordinateMapping mapping) {
		// Map every point first: an off-screen point must fail before anything is pressed.
		List<ScreenPoint> points = action.points().stream().map(mapping::toScreen).toList();
		ScreenPoint at = points.isEmpty() ? null : points.get(points.size() - 1);
		return guardDirect(action.name(), () -> {
			long startNs = System.nanoTime();
			inputSentNs = startNs;
			navigated = false;
			String performed = performWithDialogs(action, mapping, at);
			OpenDialog open = dialogHandling.openDialog();
			Page acted = page;
			try {
				if (open == null) {
					settle(action, startNs);
				}
			}
			catch (PlaywrightException ex) {
				// The action closed its page (a popup's close button): the opener took over, nothing to wait for.
				if (!acted.isClosed()) {
					throw ex;
				}
			}
			long durationMs = (System.nanoTime() - startNs) / 1_000_000;
			// A download whose event arrives after the settle window is reported with the next action, never dropped.
			dialogHandling.run(() -> downloads.addAll(downloadWatch.collect(target.downloadDir())));
			List<Download> finished = List.copyOf(downloads);
			downloads.clear();
			return new ActionOutcome(action, performed, at, durationMs, page.url(), navigated, finished,
					dialogHandling.drainHandled(), follower.drain(), dialogHandling.openDialog());
		});
	}

	/**
	 * The action with the page's dialogs in mind: {@code dialog} answers the open one; any other action first
	 * dismisses an open dialog (input cannot reach a page that waits on one), then sends its input from the input
	 * thread, so a dialog it opens leaves this call free to return while the page waits for the answer.
	 */
	private String performWithDialogs(Action action, CoordinateMapping mapping, @Nullable ScreenPoint at) {
		dialogHandling.expireOverdue();
		if (action instanceof AnswerDialog answer) {
			return dialogHandling.answer(answer);
		}
		if (action instanceof Wait wait && dialogHandling.openDialog() != null) {
			// Waiting is no answer: the dialog stays open (until its bound) and the page stays as it is.
			dialogHandling.waitUnder(wait.durationMs());
			return "wait " + wait.durationMs() + " ms with a dialog open";
		}
		dialogHandling.dismissBefore(action.name());
		inputSentNs = System.nanoTime();
		String performed = dialogHandling.input(() -> perform(action, mapping));
		if (performed != null) {
			return performed;
		}
		OpenDialog open = dialogHandling.openDialog();
		return action.name().replace('_', ' ') + (at == null ? "" : " at " + at) + "; the page opened a "
				+ (open == null ? "JavaScript" : open.type()) + " dialog and waits for the answer";
	}

	private String perform(Action action, CoordinateMapping mapping) {
		return input.perform(page, action, mapping);
	}

	/** Navigation and waits of the pages this executor owns: the policy check, and downloads watched meanwhile. */
	private final class OwnNavigation implements PageInput.Navigation {

		@Override
		public void navigate(Page page, String url) {
			navigateTo(url);
		}

		@Override
		public void pause(Page page, long ms) {
			BrowserExecutor.this.pause(ms);
		}

		@Override
		public double navigationTimeoutMs() {
			return settings.navigationTimeoutMs();
		}

	}

	private void navigateTo(String url) {
		NavigationDeniedException.unlessAllowed(target.policy(), url, pool.resolver());
		try {
			page.navigate(url, new Page.NavigateOptions().setTimeout(settings.navigationTimeoutMs())
				.setWaitUntil(WaitUntilState.LOAD));
		}
		catch (PlaywrightException ex) {
			String message = String.valueOf(ex.getMessage());
			// A proxy 403 on CONNECT surfaces as a tunnel failure.
			if (message.contains("ERR_BLOCKED_BY_CLIENT") || message.contains("ERR_TUNNEL_CONNECTION_FAILED")) {
				throw new NavigationDeniedException("navigation to " + url + " denied: " + lastBlockReason(url));
			}
			throw ex;
		}
	}

	private String lastBlockReason(String url) {
		List<BlockedRequest> blocked = List.copyOf(this.blocked);
		for (int i = blocked.size() - 1; i >= 0; i--) {
			if (blocked.get(i).url().equals(url)) {
				return blocked.get(i).reason();
			}
		}
		return blocked.isEmpty() ? "blocked by the navigation policy" : blocked.get(blocked.size() - 1).reason();
	}

	/**
	 * Waits, within {@code settleTimeoutMs}, for what the action started: listens until {@code settleGraceMs} after
	 * the action was sent for a navigation or request, waits for a started navigation's load event and for requests
	 * to finish. Scrolls wait two animation frames, since the wheel scrolls asynchronously.
	 */
	private void settle(Action action, long startNs) {
		if (action instanceof Wait || action.endsTask()) {
			return;
		}
		long graceFromNs = inputSentNs;
		if (action instanceof Scroll) {
			page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
			// The wheel scrolls only now: what the scroll brings into view (lazy images) starts from here.
			graceFromNs = System.nanoTime();
		}
		// Counted from the dispatch, not from the return: the page reacts to the input as it arrives, and the input's
		// own round trip (3 ms for a click) already gave it that long.
		long graceLeftMs = settings.settleGraceMs() - (System.nanoTime() - graceFromNs) / 1_000_000;
		if (graceLeftMs > 0) {
			page.waitForTimeout(graceLeftMs);
		}
		long deadlineNs = startNs + settings.settleTimeoutMs() * 1_000_000;
		while (navigated && System.nanoTime() < deadlineNs) {
			// In slices, so a download growing past its cap meanwhile is cancelled at once.
			long sliceMs = Math.max(1, Math.min(WATCH_INTERVAL_MS, (deadlineNs - System.nanoTime()) / 1_000_000));
			try {
				page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(sliceMs));
				break;
			}
			catch (TimeoutError ex) {
				// Bounded on purpose: a slow page is screenshotted as it is, and the model may wait.
				cancelOversizedDownloads();
			}
		}
		while (inflightRequests > 0 && System.nanoTime() < deadlineNs) {
			page.waitForTimeout(10);
			cancelOversizedDownloads();
		}
	}

	/** Waits {@code ms} in slices, cancelling downloads that cross the cap meanwhile. */
	private void pause(long ms) {
		long deadlineNs = System.nanoTime() + ms * 1_000_000;
		for (long left = ms; left > 0; left = (deadlineNs - System.nanoTime()) / 1_000_000) {
			page.waitForTimeout(Math.min(left, WATCH_INTERVAL_MS));
			cancelOversizedDownloads();
		}
	}

	/** The watcher: cancels a download at its cap whenever this task is not inside a Playwright call itself. */
	private void watchDownloads() {
		while (!closed) {
			try {
				Thread.sleep(WATCH_INTERVAL_MS);
			}
			catch (InterruptedException ex) {
				return;
			}
			if (downloadWatch.oversized().isEmpty()) {
				continue;
			}
			lock.lock();
			try {
				if (!closed) {
					dialogHandling.run(() -> {
						cancelOversizedDownloads();
						return null;
					});
				}
			}
			catch (PlaywrightException ex) {
				// The browser went away; the task notices on its next call.
			}
			finally {
				lock.unlock();
			}
		}
	}

	/** Cancels every download in progress that crossed the cap; the caller holds the lock. */
	private void cancelOversizedDownloads() {
		downloadWatch.cancelOversized(browser, context, page);
	}

	/** {@link #guardDirect} with every Playwright call of {@code work} on the thread allowed to make it now. */
	private <T> T guard(String what, Supplier<T> work) {
		return guardDirect(what, () -> dialogHandling.run(work));
	}

	/**
	 * The executor's lock, liveness checks and error mapping around {@code work}, which routes its own Playwright
	 * calls through {@link DialogHandling#run} where a dialog may be open.
	 */
	private <T> T guardDirect(String what, Supplier<T> work) {
		lock.lock();
		try {
			if (closed) {
				throw new ToolsException("the browser executor for " + target.url() + " is closed");
			}
			if (!browser.isConnected()) {
				throw new BrowserCrashedException(
						"the browser of this task is gone (crashed or killed) before " + what + "; start the task again");
			}
			if (pageCrashed) {
				throw new BrowserCrashedException("the page of this task crashed before " + what);
			}
			try {
				return work.get();
			}
			catch (TimeoutError ex) {
				throw new ToolsException(what + " timed out: " + ex.getMessage(), ex);
			}
			catch (PlaywrightException ex) {
				if (!browser.isConnected() || pageCrashed) {
					throw new BrowserCrashedException("the browser crashed during " + what + ": " + ex.getMessage(),
							ex);
				}
				throw new ToolsException(what + " failed: " + ex.getMessage(), ex);
			}
		}
		finally {
			lock.unlock();
		}
	}

	/** Evaluates a JavaScript expression in the current page; for tests and diagnostics. */
	public @Nullable Object evaluate(String expression) {
		OpenDialog dialog = dialogHandling.openDialog();
		if (dialog != null) {
			// The page's scripts are stopped under the dialog: an evaluation would wait for ever.
			throw new ToolsException("cannot evaluate a script while the page waits on its " + dialog.describe());
		}
		return guard("evaluate", () -> page.evaluate(expression));
	}

	/** The current page's URL. */
	public String currentUrl() {
		return guard("url", () -> page.url());
	}

	/** Every request and navigation the policy stopped so far, oldest first. */
	public List<BlockedRequest> blockedRequests() {
		// No lock: the list is written by the proxy's threads as well and is safe to copy at any time.
		return List.copyOf(blocked);
	}

	@Override
	public Optional<OpenDialog> openDialog() {
		return Optional.ofNullable(dialogHandling.openDialog());
	}

	@Override
	public String describeTarget() {
		return "chromium " + target.viewportWidth() + "x" + target.viewportHeight() + "@" + target.deviceScaleFactor()
				+ " " + target.url();
	}

	@Override
	public Optional<String> pageUrl() {
		return Optional.of(currentUrl());
	}

	@Override
	public PointInfo inspect(@Nullable ScreenPoint at) {
		OpenDialog dialog = dialogHandling.openDialog();
		if (dialog != null) {
			// The page's scripts are stopped under the dialog, so nothing can be read from it; the dialog is what
			// input reaches.
			String url = currentUrl();
			return new PointInfo(url, url, false, false, false, "javascript " + dialog.type() + " dialog");
		}
		return guard("inspect", () -> {
			CDPSession main = capture.session(page);
			if (main == null) {
				return new PointInfo(page.url(), null, false, false, true, "");
			}
			return PageInspector.inspect(page, main, at);
		});
	}

	@Override
	public void secretTyped() {
		if (dialogHandling.openDialog() != null) {
			// Typing opened a dialog: the page cannot be asked where the focus is, so its whole frame is masked.
			guard("remember the secret field", () -> {
				secretFields.typed(page, null);
				return null;
			});
			return;
		}
		guard("remember the secret field", () -> {
			secretFields.typed(page, capture.session(page));
			return null;
		});
	}

	@Override
	public Screenshot maskSecrets(Screenshot shot) {
		if (secretFields.isEmpty()) {
			return shot;
		}
		// Under a dialog the page cannot be asked where its fields are now; they cannot move either.
		List<ScreenshotMask.Box> boxes = dialogHandling.openDialog() != null ? lastSecretBoxes
				: guard("mask secret fields", () -> secretFields.boxes(page, capture.session(page)));
		lastSecretBoxes = boxes;
		return boxes == null ? ScreenshotMask.whole(shot) : ScreenshotMask.paint(shot, boxes);
	}

	@Override
	public void close() {
		lock.lock();
		try {
			if (closed) {
				return;
			}
			try {
				// The input thread may wait under a dialog: let it go before the browser goes.
				dialogHandling.dismissBefore("close");
			}
			catch (RuntimeException ex) {
				// The browser is gone already; closing goes on.
			}
			closed = true;
			try {
				dialogHandling.close();
				capture.detach();
				try {
					context.close();
				}
				catch (PlaywrightException ignored) {
					// The browser is already gone; the context went with it.
				}
				closeQuietly(playwright);
			}
			finally {
				// Whatever failed above, the task's proxy and its downloads go too.
				proxy.close();
				downloadWatch.delete();
			}
		}
		finally {
			lock.unlock();
			pool.released(this);
		}
	}

	private static void closeQuietly(@Nullable Playwright playwright) {
		if (playwright == null) {
			return;
		}
		try {
			// Closes the browser process and the driver with it.
			playwright.close();
		}
		catch (PlaywrightException ignored) {
			// Already gone with a crashed browser.
		}
	}

}
