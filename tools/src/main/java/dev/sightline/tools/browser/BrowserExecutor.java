package dev.sightline.tools.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.function.Supplier;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
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
import dev.sightline.tools.actions.Answer;
import dev.sightline.tools.actions.Back;
import dev.sightline.tools.actions.Click;
import dev.sightline.tools.actions.Forward;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.MouseMove;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.Reload;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.Terminate;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.actions.Wait;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.ActionOutcome;
import dev.sightline.tools.execute.Download;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.HandledDialog;
import dev.sightline.tools.execute.PngSize;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.tools.keys.KeyNames;

/**
 * One task's browser: its own context (cookies, storage, downloads) in the pool's shared Chromium, the viewport and
 * device pixel ratio of its {@link BrowserTarget}, every action through Playwright's mouse and keyboard at mapped
 * CSS pixels. The navigation policy is enforced below Playwright: the context's traffic goes through its own
 * {@link FilteringProxy}, so every redirect hop, subresource, fetch, WebSocket, beacon, prefetch and popup meets the
 * policy on the connection it makes; a route handler refuses the schemes no proxy sees ({@code data:},
 * {@code blob:}, {@code file:}, ...). Service workers stay blocked as a second layer. Dialogs are
 * accepted and recorded, popups and new tabs become the current page, downloads are saved under the target's
 * download directory up to the size limit.
 */
public final class BrowserExecutor implements Executor {

	private static final Set<String> LOADABLE_SCHEMES = Set.of("http", "https", "ws", "wss");

	/**
	 * What the route sees: everything but http(s) and ws(s). A regular expression is matched inside Playwright's
	 * driver, so the proxied schemes are never intercepted: they do not wait for this client between steps, and cost
	 * nothing per request.
	 */
	private static final Pattern NOT_PROXIED = Pattern.compile("^(?!(https?|wss?):).*", Pattern.CASE_INSENSITIVE);

	private final BrowserPool pool;

	private final int generation;

	private final BrowserTarget target;

	private final BrowserSettings settings;

	private final BrowserContext context;

	private final ViewportCapture capture;

	private Page page;

	/** Every connection of this context goes through this proxy, which enforces the target's policy. */
	private final FilteringProxy proxy;

	/** Written by the proxy's threads and the route handler, read by the task. */
	private final List<BlockedRequest> blocked = new CopyOnWriteArrayList<>();

	private final List<HandledDialog> dialogs = new ArrayList<>();

	private final List<Download> downloads = new ArrayList<>();

	private int inflightRequests;

	private boolean navigated;

	private boolean pageCrashed;

	private @Nullable ScreenPoint pointer;

	private boolean closed;

	BrowserExecutor(BrowserPool pool, int generation, Browser browser, BrowserTarget target) {
		this.pool = pool;
		this.generation = generation;
		this.target = target;
		this.settings = pool.settings();
		this.capture = new ViewportCapture(target.viewportWidth(), target.viewportHeight(), target.deviceScaleFactor());
		this.proxy = FilteringProxy.start(target.policy(), pool.resolver(), blocked::add);
		try {
			this.context = browser.newContext(new Browser.NewContextOptions()
				.setViewportSize(target.viewportWidth(), target.viewportHeight())
				.setDeviceScaleFactor(target.deviceScaleFactor())
				.setAcceptDownloads(true)
				.setProxy(new Proxy(proxy.url()).setBypass("<-loopback>"))
				.setServiceWorkers(ServiceWorkerPolicy.BLOCK));
		}
		catch (RuntimeException ex) {
			proxy.close();
			throw ex;
		}
		context.route(NOT_PROXIED, this::routeRequest);
		context.onRequest(request -> inflightRequests++);
		context.onRequestFinished(request -> inflightRequests = Math.max(0, inflightRequests - 1));
		context.onRequestFailed(request -> inflightRequests = Math.max(0, inflightRequests - 1));
		context.onPage(popup -> {
			// A popup or new tab takes over: the model sees and acts on what a person would look at.
			watch(popup);
			page = popup;
			navigated = true;
		});
		// onPage above also fires for this first page and watches it.
		this.page = context.newPage();
	}

	void start() {
		guard("open " + target.url(), () -> {
			navigateTo(target.url());
			return null;
		});
	}

	private void watch(Page watched) {
		watched.onDialog(this::handleDialog);
		watched.onDownload(this::handleDownload);
		watched.onCrash(crashed -> pageCrashed = true);
		watched.onFrameNavigated(frame -> {
			if (frame.parentFrame() == null) {
				navigated = true;
			}
		});
		watched.onClose(closedPage -> {
			if (closedPage == page) {
				List<Page> open = context.pages();
				if (!open.isEmpty()) {
					page = open.get(open.size() - 1);
				}
			}
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

	private void handleDialog(Dialog dialog) {
		dialogs.add(new HandledDialog(dialog.type(), dialog.message(), true));
		dialog.accept();
	}

	private void handleDownload(com.microsoft.playwright.Download download) {
		String name = safeFileName(download.suggestedFilename());
		try {
			Path temporary = download.path();
			long size = Files.size(temporary);
			if (size > settings.maxDownloadBytes()) {
				download.delete();
				downloads.add(new Download(name, download.url(), null, size,
						"size " + size + " bytes exceeds the limit of " + settings.maxDownloadBytes() + " bytes"));
				return;
			}
			Files.createDirectories(target.downloadDir());
			Path saved = uniquePath(target.downloadDir(), name);
			download.saveAs(saved);
			download.delete();
			downloads.add(new Download(name, download.url(), saved, size, null));
		}
		catch (IOException | PlaywrightException ex) {
			downloads.add(new Download(name, download.url(), null, 0, "download failed: " + ex.getMessage()));
		}
	}

	static String safeFileName(String suggested) {
		String name = suggested.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "");
		if (name.isEmpty()) {
			name = "download";
		}
		return name.length() > 100 ? name.substring(name.length() - 100) : name;
	}

	private static Path uniquePath(Path dir, String name) {
		Path path = dir.resolve(name);
		for (int i = 1; Files.exists(path); i++) {
			path = dir.resolve(i + "-" + name);
		}
		return path;
	}

	@Override
	public Screenshot screenshot() {
		return guard("screenshot", () -> {
			byte[] png = capture.png(page);
			return new Screenshot(png, PngSize.width(png), PngSize.height(png), target.deviceScaleFactor(),
					Instant.now());
		});
	}

	@Override
	public ActionOutcome execute(Action action, CoordinateMapping mapping) {
		// Map every point first: an off-screen point must fail before anything is pressed.
		List<ScreenPoint> points = action.points().stream().map(mapping::toScreen).toList();
		return guard(action.name(), () -> {
			long startNs = System.nanoTime();
			dialogs.clear();
			navigated = false;
			String performed = perform(action, mapping);
			settle(action, startNs);
			long durationMs = (System.nanoTime() - startNs) / 1_000_000;
			ScreenPoint at = points.isEmpty() ? null : points.get(points.size() - 1);
			// A download whose event arrives after the settle window is reported with the next action, never dropped.
			List<Download> finished = List.copyOf(downloads);
			downloads.clear();
			return new ActionOutcome(action, performed, at, durationMs, page.url(), navigated, finished, dialogs);
		});
	}

	private String perform(Action action, CoordinateMapping mapping) {
		Mouse mouse = page.mouse();
		return switch (action) {
			case Click click -> {
				ScreenPoint at = click.at() == null ? requirePointer(click.name()) : moveTo(click.at(), mapping);
				com.microsoft.playwright.options.MouseButton button = switch (click.button()) {
					case LEFT -> com.microsoft.playwright.options.MouseButton.LEFT;
					case RIGHT -> com.microsoft.playwright.options.MouseButton.RIGHT;
					case MIDDLE -> com.microsoft.playwright.options.MouseButton.MIDDLE;
				};
				// Successive presses with rising click counts, as a person's double/triple click reaches the page.
				for (int count = 1; count <= click.clickCount(); count++) {
					mouse.down(new Mouse.DownOptions().setButton(button).setClickCount(count));
					mouse.up(new Mouse.UpOptions().setButton(button).setClickCount(count));
				}
				yield click.name().replace('_', ' ') + " at " + at;
			}
			case MouseMove move -> "mouse move to " + moveTo(move.at(), mapping);
			case LeftClickDrag drag -> {
				ScreenPoint from = drag.from() == null ? requirePointer(drag.name()) : moveTo(drag.from(), mapping);
				ScreenPoint to = mapping.toScreen(drag.to());
				mouse.down();
				mouse.move(to.xPx(), to.yPx(), new Mouse.MoveOptions().setSteps(12));
				mouse.up();
				pointer = to;
				yield "drag from " + from + " to " + to;
			}
			case Scroll scroll -> {
				String where = scroll.at() == null ? "" : " at " + moveTo(scroll.at(), mapping);
				// The schema's positive pixels scroll up; a wheel's positive deltaY scrolls down.
				mouse.wheel(0, -scroll.pixels());
				yield "scroll " + (scroll.pixels() > 0 ? "up " : "down ") + Math.abs(scroll.pixels()) + " px" + where;
			}
			case Key key -> {
				String chord = KeyNames.playwright(key.keys());
				page.keyboard().press(chord);
				yield "key " + chord;
			}
			case TypeText type -> {
				page.keyboard().type(type.text());
				yield "type " + type.text().length() + " characters";
			}
			case Wait wait -> {
				page.waitForTimeout(wait.durationMs());
				yield "wait " + wait.durationMs() + " ms";
			}
			case Navigate navigate -> {
				navigateTo(navigate.url());
				yield "navigate to " + navigate.url();
			}
			case Back back -> page.goBack(new Page.GoBackOptions().setTimeout(settings.navigationTimeoutMs())) == null
					? "back: no previous page" : "back to " + page.url();
			case Forward forward -> page
				.goForward(new Page.GoForwardOptions().setTimeout(settings.navigationTimeoutMs())) == null
						? "forward: no next page" : "forward to " + page.url();
			case Reload reload -> {
				page.reload(new Page.ReloadOptions().setTimeout(settings.navigationTimeoutMs()));
				yield "reload " + page.url();
			}
			case Terminate terminate -> "terminate (" + terminate.status().wireName() + ")";
			case Answer answer -> "answer";
		};
	}

	private ScreenPoint moveTo(ModelPoint point, CoordinateMapping mapping) {
		ScreenPoint at = mapping.toScreen(point);
		page.mouse().move(at.xPx(), at.yPx());
		pointer = at;
		return at;
	}

	private ScreenPoint requirePointer(String action) {
		if (pointer == null) {
			throw new ToolsException(action + " without a coordinate needs the pointer placed by an earlier action");
		}
		return pointer;
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
	 * Waits, within {@code settleTimeoutMs}, for what the action started: listens {@code settleGraceMs} for a
	 * navigation or request, waits for a started navigation's load event and for requests to finish. Scrolls wait two
	 * animation frames, since the wheel scrolls asynchronously.
	 */
	private void settle(Action action, long startNs) {
		if (action instanceof Wait || action.endsTask()) {
			return;
		}
		if (action instanceof Scroll) {
			page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
		}
		if (settings.settleGraceMs() > 0) {
			page.waitForTimeout(settings.settleGraceMs());
		}
		long deadlineNs = startNs + settings.settleTimeoutMs() * 1_000_000;
		if (navigated) {
			long leftMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000);
			try {
				page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(leftMs));
			}
			catch (TimeoutError ex) {
				// Bounded on purpose: a slow page is screenshotted as it is, and the model may wait.
			}
		}
		while (inflightRequests > 0 && System.nanoTime() < deadlineNs) {
			page.waitForTimeout(10);
		}
	}

	private <T> T guard(String what, Supplier<T> work) {
		return pool.call(() -> {
			if (closed) {
				throw new ToolsException("the browser executor for " + target.url() + " is closed");
			}
			if (!pool.isCurrent(generation)) {
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
				if (!pool.isCurrent(generation) || pageCrashed) {
					throw new BrowserCrashedException("the browser crashed during " + what + ": " + ex.getMessage(),
							ex);
				}
				throw new ToolsException(what + " failed: " + ex.getMessage(), ex);
			}
		});
	}

	/** Evaluates a JavaScript expression in the current page; for tests and diagnostics. */
	public @Nullable Object evaluate(String expression) {
		return guard("evaluate", () -> page.evaluate(expression));
	}

	/** The current page's URL. */
	public String currentUrl() {
		return guard("url", () -> page.url());
	}

	/** Every request and navigation the policy stopped so far, oldest first. */
	public List<BlockedRequest> blockedRequests() {
		return List.copyOf(blocked);
	}

	@Override
	public String describeTarget() {
		return "chromium " + target.viewportWidth() + "x" + target.viewportHeight() + "@" + target.deviceScaleFactor()
				+ " " + target.url();
	}

	@Override
	public void close() {
		boolean release = pool.call(() -> {
			if (closed) {
				return false;
			}
			closed = true;
			capture.detach();
			try {
				context.close();
			}
			catch (PlaywrightException ignored) {
				// The browser is already gone; the context went with it.
			}
			finally {
				proxy.close();
			}
			return true;
		});
		if (release) {
			pool.released(context);
		}
	}

}
