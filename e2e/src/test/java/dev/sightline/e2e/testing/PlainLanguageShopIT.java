package dev.sightline.e2e.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;
import dev.sightline.tools.testing.LocationCache;
import dev.sightline.tools.testing.ModelEndpoint;
import dev.sightline.tools.testing.SightlineAi;
import dev.sightline.tools.testing.SightlineConfig;
import dev.sightline.tools.testing.SightlineOptions;
import dev.sightline.tools.testing.UseSightline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a team writes a Playwright test in plain language with Sightline. {@code @UseSightline} hands each test a
 * fresh {@link Page} and a {@link SightlineAi} on it; steps name what a person sees. In a real suite the model is
 * Qwen2.5-VL behind {@code sightline.testing.model-url}; here a scripted model server answers what Qwen2.5-VL would,
 * so the example runs anywhere.
 */
@UseSightline(PlainLanguageShopIT.ScriptedQwen.class)
class PlainLanguageShopIT {

	/** The records a query reads the page into: the model is given their JSON schema. */
	record Product(String name, double priceEur) {
	}

	record Catalogue(List<Product> products) {
	}

	@Test
	void addsTheCheapestTeaToTheCart(Page page, SightlineAi ai) {
		page.navigate(SHOP_URL);
		model.enqueue(Reply.text("{\"products\": [{\"name\": \"Green tea\", \"priceEur\": 3.5},"
				+ " {\"name\": \"Black tea\", \"priceEur\": 2.9}]}"));

		Catalogue catalogue = ai.query("the products and their prices", Catalogue.class);
		Product cheapest = catalogue.products().stream().min((a, b) -> Double.compare(a.priceEur(), b.priceEur())).orElseThrow();
		assertThat(cheapest.name()).isEqualTo("Black tea");

		model.enqueue(Reply.text("[{\"bbox_2d\": [40, 210, 200, 250], \"label\": \"Add Black tea\"}]"));
		ai.tap("the Add button next to Black tea");

		model.enqueue(Reply.text("{\"pass\": true, \"reason\": \"The cart reads: 1 item, Black tea.\"}"));
		ai.assertThat("the cart holds Black tea");

		// Not the model's word alone: the page really changed.
		assertThat(page.textContent("#cart")).isEqualTo("1 item: Black tea");
	}

	// ---- the scripted stand-in for Qwen2.5-VL and the page under test ----

	static final ScriptedModelServer model = ScriptedModelServer.start();

	static final HttpServer shop = serve("""
			<!doctype html><html><head><style>
			  body { font: 16px sans-serif; margin: 0; padding: 0; }
			  button { position: absolute; left: 40px; width: 160px; height: 40px; }
			</style></head><body>
			  <p style="position:absolute; top: 100px; left: 40px">Green tea — 3.50 €</p>
			  <button style="top: 150px" onclick="add('Green tea')">Add Green tea</button>
			  <p style="position:absolute; top: 180px; left: 40px">Black tea — 2.90 €</p>
			  <button style="top: 210px" onclick="add('Black tea')">Add Black tea</button>
			  <p id="cart" style="position:absolute; top: 300px; left: 40px">0 items</p>
			  <script>function add(name) { document.getElementById('cart').textContent = '1 item: ' + name; }</script>
			</body></html>
			""");

	static final String SHOP_URL = "http://127.0.0.1:" + shop.getAddress().getPort() + "/";

	static final Path CACHE;

	static {
		try {
			CACHE = Files.createTempDirectory("sightline-example").resolve("locations.json");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * Points the extension at the scripted server. A real suite needs no such class: set
	 * {@code sightline.testing.model-url} and keep the cache at its default, src/test/resources/sightline.
	 */
	public static class ScriptedQwen extends SightlineConfig {

		@Override
		public ModelEndpoint model() {
			return ModelEndpoint.of(model.baseUrl()).withModelName("scripted");
		}

		@Override
		public Path cacheFile() {
			return CACHE;
		}

		/** A served name like "scripted" tells no family, so the profile is named (as sightline.testing.model-profile would). */
		@Override
		public SightlineOptions options(LocationCache cache) {
			return super.options(cache).withProfile("qwen2.5-vl");
		}

	}

	@AfterAll
	static void stopServers() {
		model.close();
		shop.stop(0);
	}

	private static HttpServer serve(String html) {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
			server.createContext("/", exchange -> {
				try (exchange) {
					byte[] body = html.getBytes(StandardCharsets.UTF_8);
					exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
					exchange.sendResponseHeaders(200, body.length);
					try (OutputStream out = exchange.getResponseBody()) {
						out.write(body);
					}
				}
			});
			server.start();
			return server;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
