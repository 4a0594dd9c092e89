package dev.sightline.tools.browser;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Proxy;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;

/**
 * Starts Playwright and Chromium: Playwright's own Chromium when its browser cache holds one (users' machines keep
 * working as Playwright intends), otherwise the system Chromium ({@code SIGHTLINE_CHROMIUM_PATH}, else
 * {@code /usr/bin/chromium}) with the flags a sandbox-less container needs. Playwright is never allowed to download
 * browsers.
 */
public final class BrowserLauncher {

	static final List<String> SYSTEM_CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu",
			"--disable-background-networking", "--disable-component-update", "--disable-sync");

	/**
	 * Every Chromium, Playwright's or the system's: QUIC off (UDP would skip the HTTP proxy), WebRTC limited to
	 * proxied traffic (no UDP of its own: STUN/TURN over UDP is dropped, TURN over TCP goes through the proxy's
	 * CONNECT check), no DNS of its own (the proxy resolves; a lookup the browser tries anyway fails, and
	 * prefetching is off), and loopback proxied too rather than bypassed.
	 */
	static final List<String> NETWORK_ARGS = List.of("--disable-quic",
			"--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
			"--webrtc-ip-handling-policy=disable_non_proxied_udp", "--dns-prefetch-disable",
			"--disable-features=AsyncDns,DnsOverHttps",
			"--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--proxy-bypass-list=<-loopback>");

	private BrowserLauncher() {
	}

	public static Playwright playwright() {
		return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
	}

	/**
	 * Starts Chromium without the network policy: for pages the developer trusts (the test library on their own
	 * app, benches, the grounding-set generator). Agent tasks use {@link BrowserPool}, which launches through
	 * {@link #launch(Playwright, BrowserSettings, String, Path)}.
	 */
	public static Browser launch(Playwright playwright, BrowserSettings settings) {
		BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true);
		if (settings.chromiumPath() != null || !playwrightChromiumInstalled()) {
			options.setExecutablePath(systemChromium(settings)).setArgs(SYSTEM_CHROMIUM_ARGS);
		}
		return playwright.chromium().launch(options);
	}

	/**
	 * Starts Chromium with all its traffic sent to {@code proxyUrl}; contexts name their own proxy (see
	 * {@link FilteringProxy}), this one takes whatever is not in a context.
	 */
	public static Browser launch(Playwright playwright, BrowserSettings settings, String proxyUrl) {
		return launch(playwright, settings, proxyUrl, null);
	}

	/**
	 * As {@link #launch(Playwright, BrowserSettings, String)}, with downloads written to a directory of the caller's.
	 * @param downloadsPath where Chromium writes downloads while they arrive ({@code <guid>.crdownload}, then
	 * {@code <guid>}); a directory of the task's own, so their size can be watched as they grow
	 */
	public static Browser launch(Playwright playwright, BrowserSettings settings, String proxyUrl,
			@Nullable Path downloadsPath) {
		BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true)
			.setProxy(new Proxy(proxyUrl).setBypass("<-loopback>"));
		if (downloadsPath != null) {
			options.setDownloadsPath(downloadsPath);
		}
		List<String> args = new ArrayList<>(NETWORK_ARGS);
		if (settings.chromiumPath() != null || !playwrightChromiumInstalled()) {
			Path chromium = systemChromium(settings);
			options.setExecutablePath(chromium);
			args.addAll(SYSTEM_CHROMIUM_ARGS);
		}
		return playwright.chromium().launch(options.setArgs(args));
	}

	static Path systemChromium(BrowserSettings settings) {
		Path chromium = settings.chromiumPath();
		if (chromium == null) {
			String env = System.getenv("SIGHTLINE_CHROMIUM_PATH");
			chromium = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
		}
		if (!Files.isExecutable(chromium)) {
			throw new ToolsException("no Chromium: Playwright's browsers are not installed and " + chromium
					+ " is not executable (install the 'chromium' package or set SIGHTLINE_CHROMIUM_PATH)");
		}
		return chromium;
	}

	/** Whether Playwright's browser cache ({@code PLAYWRIGHT_BROWSERS_PATH} or the per-OS default) has a Chromium. */
	static boolean playwrightChromiumInstalled() {
		String configured = System.getenv("PLAYWRIGHT_BROWSERS_PATH");
		Path cache;
		if (configured != null && !configured.isBlank() && !configured.equals("0")) {
			cache = Path.of(configured);
		}
		else {
			String home = System.getProperty("user.home");
			String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
			if (os.contains("mac")) {
				cache = Path.of(home, "Library", "Caches", "ms-playwright");
			}
			else if (os.contains("win")) {
				String local = System.getenv("LOCALAPPDATA");
				cache = Path.of(local != null ? local : home, "ms-playwright");
			}
			else {
				String xdg = System.getenv("XDG_CACHE_HOME");
				cache = xdg != null && !xdg.isBlank() ? Path.of(xdg, "ms-playwright")
						: Path.of(home, ".cache", "ms-playwright");
			}
		}
		if (!Files.isDirectory(cache)) {
			return false;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(cache, "chromium*")) {
			return entries.iterator().hasNext();
		}
		catch (IOException ex) {
			return false;
		}
	}

}
