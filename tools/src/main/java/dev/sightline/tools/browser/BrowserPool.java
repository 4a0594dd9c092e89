package dev.sightline.tools.browser;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;

import dev.sightline.tools.ToolsException;
import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;

/**
 * Browser tasks, each in a Chromium of its own (its own Playwright connection, browser process and context), with
 * at most {@link BrowserSettings#maxContexts()} open at once. A browser that disconnects (crash, kill) fails only its
 * task, with {@link BrowserCrashedException}.
 *
 * <p>
 * Why a process per task: Playwright's Java client is not thread-safe, so every call on one connection must be
 * serialized. With one shared connection that lock spans all tenants, and one task's slow navigation, download or
 * DNS lookup stalls every other task's screenshot and click. A connection per task makes the lock per task: two
 * tasks never wait for each other. The price is a Chromium start per task (about 2 s on a loaded 2-core machine,
 * against 0.3 s for a context) and its memory.
 */
public final class BrowserPool implements AutoCloseable {

	private final BrowserSettings settings;

	private final Semaphore contexts;

	private final Set<BrowserExecutor> open = ConcurrentHashMap.newKeySet();

	private final HostResolver resolver;

	/**
	 * Every task's Chromium is launched with this proxy, which refuses everything: only a context's own traffic
	 * goes out, through that task's {@link FilteringProxy}, and whatever runs outside a context (Chromium's own
	 * background requests) is refused.
	 */
	private final FilteringProxy denyAll;

	private volatile boolean closed;

	public BrowserPool() {
		this(BrowserSettings.defaults());
	}

	public BrowserPool(BrowserSettings settings) {
		this(settings, HostResolver.system());
	}

	/**
	 * A pool whose filtering proxies resolve host names with {@code resolver} (the browser never resolves names
	 * itself); tests inject a resolver to play DNS rebinding.
	 */
	public BrowserPool(BrowserSettings settings, HostResolver resolver) {
		this.settings = settings;
		this.contexts = new Semaphore(settings.maxContexts());
		this.resolver = resolver;
		this.denyAll = FilteringProxy.start(NavigationPolicy.defaults().withAllowHosts("sightline.invalid:1"), resolver,
				// Chromium's own background requests (updates, sign-in) land here; refusing them is the point.
				blocked -> {
				});
	}

	HostResolver resolver() {
		return resolver;
	}

	/** The proxy every task's Chromium is launched with: it refuses all traffic that is not in a task's context. */
	String denyAllProxyUrl() {
		return denyAll.url();
	}

	public BrowserSettings settings() {
		return settings;
	}

	/**
	 * A new browser, context and page for {@code target}, navigated to its URL. On any failure (launch, context,
	 * start navigation) everything started for it is closed again before the exception propagates.
	 * @throws ToolsException when {@code maxContexts} contexts are already open
	 * @throws NavigationDeniedException when the policy refuses the start URL
	 */
	public BrowserExecutor open(BrowserTarget target) {
		if (closed) {
			throw new ToolsException("the browser pool is closed");
		}
		// Outside any lock: this check may resolve the host name.
		NavigationDeniedException.unlessAllowed(target.policy(), target.url(), resolver);
		if (!contexts.tryAcquire()) {
			throw new ToolsException("all " + settings.maxContexts() + " browser contexts are in use; "
					+ "raise maxContexts or wait for a task to finish");
		}
		BrowserExecutor executor;
		try {
			executor = BrowserExecutor.launch(this, target);
		}
		catch (RuntimeException ex) {
			contexts.release();
			throw ex;
		}
		open.add(executor);
		try {
			executor.start();
			return executor;
		}
		catch (RuntimeException ex) {
			// Closing releases the permit and the browser: a failed start leaves nothing open.
			executor.close();
			throw ex;
		}
	}

	/** How many contexts are open now. */
	public int openContexts() {
		return settings.maxContexts() - contexts.availablePermits();
	}

	/** Whether a task's browser is running now (false when no task holds one). */
	public boolean browserRunning() {
		return open.stream().anyMatch(BrowserExecutor::connected);
	}

	/** The Chromium version, from a short-lived browser started for the question. */
	public String browserVersion() {
		try (Playwright playwright = BrowserLauncher.playwright()) {
			Browser browser = BrowserLauncher.launch(playwright, settings, denyAll.url());
			return browser.version();
		}
		catch (PlaywrightException ex) {
			throw new ToolsException("cannot start Chromium: " + ex.getMessage(), ex);
		}
	}

	void released(BrowserExecutor executor) {
		if (open.remove(executor)) {
			contexts.release();
		}
	}

	@Override
	public void close() {
		closed = true;
		for (BrowserExecutor executor : Set.copyOf(open)) {
			executor.close();
		}
		denyAll.close();
	}

}
