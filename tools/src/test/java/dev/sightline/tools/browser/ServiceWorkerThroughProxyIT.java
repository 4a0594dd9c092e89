package dev.sightline.tools.browser;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Proxy;
import com.microsoft.playwright.options.ServiceWorkerPolicy;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Service workers are blocked in task contexts, but the proxy must not depend on that: with workers allowed, a
 * worker's own fetches (install-time and on behalf of the page) go through the context's proxy and meet the policy.
 */
class ServiceWorkerThroughProxyIT {

	@Test
	void aServiceWorkersFetchesGoThroughTheContextsProxy() throws Exception {
		AtomicInteger observerHits = new AtomicInteger();
		List<BlockedRequest> blocked = new CopyOnWriteArrayList<>();
		try (ServerSocket observer = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
			Thread.ofVirtual().start(() -> {
				while (!observer.isClosed()) {
					try (Socket socket = observer.accept()) {
						observerHits.incrementAndGet();
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			String obs = "http://127.0.0.1:" + observer.getLocalPort();
			HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 8);
			site.createContext("/", exchange -> {
				String path = exchange.getRequestURI().getPath();
				String body = path.equals("/sw.js") ? """
						self.addEventListener('install', e => e.waitUntil(fetch('%s/install').catch(() => {})));
						self.addEventListener('activate', e => e.waitUntil(clients.claim()));
						self.addEventListener('fetch', e => {
						  if (e.request.url.endsWith('/via-sw')) e.respondWith(fetch('%s/from-worker'));
						});""".formatted(obs, obs) : "<!doctype html><title>sw</title><p>page</p>";
				byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders()
					.add("Content-Type", path.endsWith(".js") ? "text/javascript" : "text/html");
				exchange.sendResponseHeaders(200, bytes.length);
				exchange.getResponseBody().write(bytes);
				exchange.close();
			});
			site.start();
			String origin = "127.0.0.1:" + site.getAddress().getPort();
			NavigationPolicy policy = NavigationPolicy.forListedHosts(List.of(origin), List.of());
			try (FilteringProxy denyAll = FilteringProxy.start(policy.withAllowHosts("sightline.invalid:1"),
					HostResolver.system(), b -> {
					});
					FilteringProxy proxy = FilteringProxy.start(policy, HostResolver.system(), blocked::add);
					Playwright playwright = BrowserLauncher.playwright();
					Browser browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults(), denyAll.url());
					BrowserContext context = browser.newContext(new Browser.NewContextOptions()
						.setProxy(new Proxy(proxy.url()).setBypass("<-loopback>"))
						.setServiceWorkers(ServiceWorkerPolicy.ALLOW))) {
				Page page = context.newPage();
				page.navigate("http://" + origin + "/");
				assertThat(page.evaluate("navigator.serviceWorker.register('/sw.js')"
						+ ".then(() => navigator.serviceWorker.ready).then(() => 'ready')")).isEqualTo("ready");
				page.reload();
				// The page sees a failed fetch (a cross-origin 403 without CORS headers); what matters is where it went.
				page.evaluate("fetch('/via-sw').then(r => r.status, e => 'failed')");

				assertThat(observerHits).hasValue(0);
				assertThat(blocked).extracting(BlockedRequest::url)
					.as("the worker's install-time and on-behalf fetches were refused by the proxy")
					.contains(obs + "/install", obs + "/from-worker");
			}
			finally {
				site.stop(0);
			}
		}
	}

}
