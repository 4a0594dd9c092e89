package dev.sightline.tools.browser;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.vision.net.HostResolver;
import dev.sightline.vision.net.NavigationPolicy;

/**
 * One Chromium process shared by all browser tasks, each in its own context (cookies, storage, downloads), with at
 * most {@link BrowserSettings#maxContexts()} open at once. A browser that disconnects (crash, kill) is noticed; the
 * tasks on it fail with {@link BrowserCrashedException} and the next {@link #open} starts a fresh one.
 *
 * <p>
 * Playwright's Java client is not thread-safe, so every call into it goes through one lock: tasks on different
 * threads take turns per call (a screenshot, an action and its bounded settle wait), never interleave inside one.
 */
public final class BrowserPool implements AutoCloseable {

	private final BrowserSettings settings;

	private final ReentrantLock lock = new ReentrantLock();

	private final Semaphore contexts;

	private final HostResolver resolver;

	/** Takes the traffic of no context (there should be none) and refuses all of it. */
	private final FilteringProxy denyAll;

	private @Nullable Playwright playwright;

	private @Nullable Browser browser;

	/** Incremented on every (re)start; executors compare it to learn that their browser is gone. */
	private int generation;

	private boolean closed;

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

	public BrowserSettings settings() {
		return settings;
	}

	/**
	 * A new context and page for {@code target}, navigated to its URL.
	 * @throws ToolsException when {@code maxContexts} contexts are already open
	 * @throws NavigationDeniedException when the policy refuses the start URL
	 */
	public BrowserExecutor open(BrowserTarget target) {
		NavigationDeniedException.unlessAllowed(target.policy(), target.url(), resolver);
		if (!contexts.tryAcquire()) {
			throw new ToolsException("all " + settings.maxContexts() + " browser contexts are in use; "
					+ "raise maxContexts or wait for a task to finish");
		}
		try {
			BrowserExecutor executor = call(() -> {
				Browser running = runningBrowser();
				return new BrowserExecutor(this, generation, running, target);
			});
			executor.start();
			return executor;
		}
		catch (RuntimeException ex) {
			contexts.release();
			throw ex;
		}
	}

	/** How many contexts are open now. */
	public int openContexts() {
		return settings.maxContexts() - contexts.availablePermits();
	}

	/** Whether the shared browser is running (false before the first task and after a crash until the next). */
	public boolean browserRunning() {
		return call(() -> browser != null && browser.isConnected());
	}

	/** The running browser's version, starting it if needed. */
	public String browserVersion() {
		return call(() -> runningBrowser().version());
	}

	<T> T call(Supplier<T> work) {
		lock.lock();
		try {
			if (closed) {
				throw new ToolsException("the browser pool is closed");
			}
			return work.get();
		}
		finally {
			lock.unlock();
		}
	}

	void run(Runnable work) {
		call(() -> {
			work.run();
			return null;
		});
	}

	boolean isCurrent(int executorGeneration) {
		return executorGeneration == generation && browser != null && browser.isConnected();
	}

	void released(BrowserContext context) {
		contexts.release();
	}

	private Browser runningBrowser() {
		if (browser != null && browser.isConnected()) {
			return browser;
		}
		stopQuietly();
		try {
			playwright = BrowserLauncher.playwright();
			browser = BrowserLauncher.launch(playwright, settings, denyAll.url());
			generation++;
			return browser;
		}
		catch (PlaywrightException ex) {
			stopQuietly();
			throw new ToolsException("cannot start Chromium: " + ex.getMessage(), ex);
		}
	}

	private void stopQuietly() {
		if (browser != null) {
			try {
				browser.close();
			}
			catch (PlaywrightException ignored) {
				// Already dead: that is why we are restarting.
			}
			browser = null;
		}
		if (playwright != null) {
			try {
				playwright.close();
			}
			catch (PlaywrightException ignored) {
				// The driver went with the browser.
			}
			playwright = null;
		}
	}

	@Override
	public void close() {
		lock.lock();
		try {
			if (!closed) {
				stopQuietly();
				denyAll.close();
				closed = true;
			}
		}
		finally {
			lock.unlock();
		}
	}

}
