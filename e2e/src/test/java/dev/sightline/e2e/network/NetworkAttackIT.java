package dev.sightline.e2e.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.sightline.tools.browser.BrowserExecutor;
import dev.sightline.tools.browser.BrowserLauncher;
import dev.sightline.tools.browser.BrowserPool;
import dev.sightline.tools.browser.BrowserSettings;
import dev.sightline.tools.browser.BrowserTarget;
import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile pages against the network policy: real Chromium, through the real filtering proxy, on a page the policy
 * allows ({@code 127.0.0.1:A}) that tries every route it can think of to a loopback observer the policy denies
 * ({@code 127.0.0.1:B}, {@code [::1]:B}, and {@code 127.0.0.2:A} for rebinding). The observer counts TCP connections
 * and UDP datagrams, whatever they carry: every attack must leave it at zero, and the allowed page must have loaded.
 * Host names ({@code allowed.test}, {@code rebind.test}) exist only in the test resolver injected into the proxy, so
 * a page that loads by name also proves the browser never resolves names itself.
 */
class NetworkAttackIT {

	static final InetAddress REBIND_TARGET = address("127.0.0.2");

	@TempDir
	static Path downloads;

	static HttpServer site;

	static Observer observer;

	static BrowserPool pool;

	static final Set<String> served = ConcurrentHashMap.newKeySet();

	static final AtomicBoolean rebound = new AtomicBoolean();

	/** {@code allowed.test} is the allowed server; {@code rebind.test} is too until the test rebinds it. */
	static final HostResolver resolver = name -> switch (name) {
		case "allowed.test" -> List.of(address("127.0.0.1"));
		case "rebind.test" -> List.of(rebound.get() ? REBIND_TARGET : address("127.0.0.1"));
		default -> throw new UnknownHostException(name + " (test resolver)");
	};

	@BeforeAll
	static void start() throws IOException {
		site = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
		observer = new Observer(REBIND_TARGET, site.getAddress().getPort());
		site.createContext("/", exchange -> {
			String path = exchange.getRequestURI().getPath();
			served.add(path);
			String page = pages().get(path);
			if (path.equals("/go302")) {
				exchange.getResponseHeaders().add("Location", "http://" + observed() + "/redirected");
				exchange.sendResponseHeaders(302, -1);
			}
			else if (page == null) {
				exchange.sendResponseHeaders(404, -1);
			}
			else {
				byte[] body = page.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders()
					.add("Content-Type", path.endsWith(".js") ? "text/javascript" : "text/html; charset=utf-8");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
			exchange.close();
		});
		site.start();
		pool = new BrowserPool(BrowserSettings.defaults(), resolver);
	}

	@AfterAll
	static void stop() throws IOException {
		pool.close();
		observer.close();
		site.stop(0);
	}

	@BeforeEach
	void clear() {
		observer.reset();
		served.clear();
		rebound.set(false);
	}

	static int sitePort() {
		return site.getAddress().getPort();
	}

	static String observed() {
		return "127.0.0.1:" + observer.port();
	}

	static NavigationPolicy policy() {
		return NavigationPolicy.forListedHosts(List.of("127.0.0.1:" + sitePort()), List.of());
	}

	static Map<String, String> pages() {
		String obs = observed();
		int port = observer.port();
		return Map.ofEntries(Map.entry("/attack/redirect", page("""
				<img src="/go302"><iframe src="/go302"></iframe><script>fetch('/go302').catch(() => {});</script>""")),
				Map.entry("/attack/meta-refresh", page("<meta http-equiv=\"refresh\" content=\"0;url=http://" + obs
						+ "/meta\">")),
				Map.entry("/attack/fetch-xhr", page("<script>fetch('http://" + obs + "/fetch', {mode: 'no-cors'})"
						+ ".catch(() => {}); const x = new XMLHttpRequest(); x.open('GET', 'http://" + obs
						+ "/xhr'); x.send();</script>")),
				Map.entry("/attack/subresources", page("<img src=\"http://" + obs + "/img\"><script src=\"http://"
						+ obs + "/s.js\"></script><link rel=\"stylesheet\" href=\"http://" + obs
						+ "/c.css\"><video src=\"http://" + obs + "/v.mp4\"></video>")),
				Map.entry("/attack/iframe", page("<iframe src=\"http://" + obs + "/frame\"></iframe>")),
				Map.entry("/attack/websocket", page("<script>new WebSocket('ws://" + obs + "/ws'); new WebSocket('wss://"
						+ obs + "/wss');</script>")),
				Map.entry("/attack/beacon", page("<script>navigator.sendBeacon('http://" + obs
						+ "/beacon', 'leak');</script>")),
				Map.entry("/attack/prefetch", page("<link rel=\"prefetch\" href=\"http://" + obs
						+ "/prefetch\"><link rel=\"preconnect\" href=\"http://" + obs
						+ "\"><link rel=\"dns-prefetch\" href=\"http://rebind.test\"><link rel=\"prerender\" href=\"http://"
						+ obs + "/prerender\">")),
				Map.entry("/attack/service-worker", page("<script>navigator.serviceWorker && navigator.serviceWorker"
						+ ".register('/sw.js').catch(() => {});</script>")),
				Map.entry("/sw.js", "self.addEventListener('install', () => fetch('http://" + obs + "/sw'));"
						+ "self.addEventListener('activate', () => fetch('http://" + obs + "/sw2'));"),
				Map.entry("/attack/popup", page("<script>window.open('http://" + obs + "/popup');</script>")),
				Map.entry("/attack/form-post", page("<form id=f method=post action=\"http://" + obs
						+ "/form\"><input name=a value=b></form><script>setTimeout(() => f.submit(), 300);</script>")),
				Map.entry("/attack/ipv6", page(fetches("[::1]:" + port, "[::ffff:127.0.0.1]:" + port,
						"[::ffff:7f00:1]:" + port, "[::127.0.0.1]:" + port, "[0:0:0:0:0:0:0:1]:" + port))),
				Map.entry("/attack/numeric", page(fetches("2130706433:" + port, "0177.0.0.1:" + port,
						"0x7f.1:" + port, "127.1:" + port, "0x7f000001:" + port, "017700000001:" + port))),
				Map.entry("/attack/unspecified", page(fetches("0.0.0.0:" + port, "0:" + port, "[::]:" + port))),
				Map.entry("/attack/connect-denied-port", page("<script>fetch('https://" + obs
						+ "/', {mode: 'no-cors'}).catch(() => {}); new WebSocket('wss://127.0.0.1:" + port
						+ "/');</script><img src=\"https://" + obs + "/img\">")),
				Map.entry("/attack/webrtc", page("""
						<script>
						const pc = new RTCPeerConnection({iceServers: [
						  {urls: 'stun:127.0.0.1:%d'},
						  {urls: 'turn:127.0.0.1:%d?transport=udp', username: 'u', credential: 'p'},
						  {urls: 'turn:127.0.0.1:%d?transport=tcp', username: 'u', credential: 'p'}]});
						pc.createDataChannel('leak');
						pc.createOffer().then(offer => pc.setLocalDescription(offer));
						</script>""".formatted(observer.udpPort(), observer.udpPort(), port))),
				Map.entry("/attack/rebind", page("<p>rebinding</p>")));
	}

	static String fetches(String... authorities) {
		StringBuilder script = new StringBuilder("<script>");
		for (String authority : authorities) {
			script.append("fetch('http://").append(authority).append("/', {mode: 'no-cors'}).catch(() => {});");
			script.append("new Image().src = 'http://").append(authority).append("/img';");
		}
		return script.append("</script>").toString();
	}

	static String page(String body) {
		return "<!doctype html><html><head><title>attack</title></head><body><p id=loaded>loaded</p>" + body
				+ "</body></html>";
	}

	@ParameterizedTest
	@ValueSource(strings = { "redirect", "meta-refresh", "fetch-xhr", "subresources", "iframe", "websocket", "beacon",
			"prefetch", "service-worker", "popup", "form-post", "ipv6", "numeric", "unspecified",
			"connect-denied-port", "webrtc" })
	void anAllowedPageCannotReachTheObserver(String attack) throws InterruptedException {
		try (BrowserExecutor browser = pool.open(target("http://127.0.0.1:" + sitePort() + "/attack/" + attack))) {
			// Long enough for every request, ICE gathering and a TURN allocation attempt to be tried.
			Thread.sleep(2_000);
			assertThat(served).as("the allowed page loaded").contains("/attack/" + attack);
			assertThat(observer.hits()).as("observer hits from '" + attack + "': " + observer.seen()).isZero();
			if (!attack.equals("webrtc") && !attack.equals("service-worker")) {
				assertThat(browser.blockedRequests()).as("refusals reported to the executor").isNotEmpty();
			}
		}
	}

	@Test
	void aStartUrlThatRedirectsToADeniedHostNeverReachesIt() throws InterruptedException {
		try (BrowserExecutor browser = pool.open(target("http://127.0.0.1:" + sitePort() + "/go302"))) {
			Thread.sleep(500);
			assertThat(observer.hits()).as(observer.seen().toString()).isZero();
			assertThat(browser.blockedRequests())
				.anySatisfy(blocked -> assertThat(blocked.url()).contains(observed() + "/redirected"));
		}
	}

	@Test
	void aNameThatRebindsToADeniedAddressIsRefusedOnTheNextConnection() throws InterruptedException {
		String url = "http://rebind.test:" + sitePort() + "/attack/rebind";
		try (BrowserExecutor browser = pool.open(target(url))) {
			assertThat(served).as("loaded by a name only the proxy's resolver knows").contains("/attack/rebind");
			rebound.set(true);
			Object answer = browser.evaluate("fetch('/attack/rebind?again').then(r => r.status, e => 'failed')");
			Thread.sleep(300);
			assertThat(observer.hits()).as(observer.seen().toString()).isZero();
			assertThat(answer).isEqualTo(403);
			// Checked again on this connection: 127.0.0.2 is neither listed nor public.
			assertThat(browser.blockedRequests()).anySatisfy(blocked -> assertThat(blocked.reason())
				.contains("rebind.test:" + sitePort() + " is not on the allow list"));
		}
	}

	@Test
	void aNameLoadsThroughTheProxyWhichAloneResolvesIt() {
		try (BrowserExecutor browser = pool.open(target("http://allowed.test:" + sitePort() + "/attack/rebind"))) {
			assertThat(browser.evaluate("document.getElementById('loaded').textContent")).isEqualTo("loaded");
		}
	}

	/**
	 * The suite detects the hole it guards: the same redirect page in a browser without the proxy, checked only by a
	 * Playwright route (the old enforcement, which sees the first URL of a redirect chain and not the next hop),
	 * reaches the observer.
	 */
	@Test
	void withoutTheProxyTheRedirectReachesTheObserver() throws InterruptedException {
		NavigationPolicy policy = policy();
		try (Playwright playwright = BrowserLauncher.playwright();
				Browser browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults());
				BrowserContext context = browser.newContext()) {
			context.route("**/*", route -> {
				if (policy.check(route.request().url()).allowed()) {
					route.resume();
				}
				else {
					route.abort("blockedbyclient");
				}
			});
			Page page = context.newPage();
			page.navigate("http://127.0.0.1:" + sitePort() + "/attack/redirect");
			Thread.sleep(1_000);
		}
		assertThat(observer.hits()).isPositive();
	}

	static BrowserTarget target(String url) {
		return new BrowserTarget(url, 800, 600, 1, policy(), downloads);
	}

	static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
