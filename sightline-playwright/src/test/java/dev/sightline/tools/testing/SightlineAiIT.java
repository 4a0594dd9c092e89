package dev.sightline.tools.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.tools.browser.BrowserLauncher;
import dev.sightline.tools.browser.BrowserSettings;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.scripted.ScriptedModelServer;
import dev.sightline.tools.scripted.ScriptedModelServer.Reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SightlineAiIT {

	static final String SHOP = """
			<!doctype html>
			<html><head><title>Shop</title><style>
			  body { font: 16px sans-serif; margin: 0; padding: 24px; }
			  button, input { font-size: 16px; padding: 8px 16px; margin: 8px; }
			</style></head>
			<body>
			  <h1>Tea shop</h1>
			  <ul id="products"><li>Green tea — 3.50 €</li><li>Black tea — 2.90 €</li></ul>
			  <label>Email <input id="email" name="email" placeholder="you@example.com"></label>
			  <button id="add" onclick="add()">Add to cart</button>
			  <p id="cart">0 items</p>
			  <script>
			    let count = 0;
			    function add() { count++; document.getElementById('cart').textContent = count + (count === 1 ? ' item' : ' items'); }
			  </script>
			</body></html>
			""";

	/** The same shop after a redesign: the button moved, lost its id and was renamed. */
	static final String SHOP_REDESIGNED = SHOP.replace("<button id=\"add\" onclick=\"add()\">Add to cart</button>", "")
		.replace("<h1>Tea shop</h1>", "<h1>Tea shop</h1><div class=\"toolbar\"><button onclick=\"add()\">Add to basket</button></div>");

	static Playwright playwright;

	static Browser browser;

	static PageServer pages;

	ScriptedModelServer model;

	BrowserContext context;

	@TempDir
	Path dir;

	@BeforeAll
	static void startBrowser() throws Exception {
		playwright = BrowserLauncher.playwright();
		browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults());
		pages = new PageServer();
	}

	@AfterAll
	static void stopBrowser() {
		pages.close();
		browser.close();
		playwright.close();
	}

	@BeforeEach
	void startModel() {
		model = ScriptedModelServer.start();
		pages.put("/shop", SHOP);
	}

	@AfterEach
	void stop() {
		if (context != null) {
			context.close();
		}
		model.close();
	}

	Page open(String path) {
		if (context != null) {
			context.close();
		}
		context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 720));
		Page page = context.newPage();
		page.navigate(pages.url(path));
		return page;
	}

	SightlineAi ai(Page page, SightlineOptions options) {
		return SightlineAi.create(page, ModelEndpoint.of(model.baseUrl()).withModelName("scripted-Qwen2.5-VL"), options);
	}

	@Test
	void tapClicksWhereTheModelLocatedTheTarget() {
		Page page = open("/shop");
		model.enqueue(ScriptedAnswers.bboxOf(page, "#add", "Add to cart"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		ai.tap("the Add to cart button");

		assertThat(page.textContent("#cart")).isEqualTo("1 item");
		ScriptedModelServer.RecordedRequest request = model.requests().get(0);
		assertThat(request.allText()).contains("Locate the Add to cart button in the screenshot");
		assertThat(request.imageUrls()).hasSize(1).allSatisfy(url -> assertThat(url).startsWith("data:image/png"));
		assertThat(ai.steps()).singleElement().satisfies(step -> {
			assertThat(step.kind()).isEqualTo("tap");
			assertThat(step.passed()).isTrue();
			assertThat(step.modelCalls()).isEqualTo(1);
			assertThat(step.screenshotPng()).isNotEmpty();
			assertThat(step.point()).isNotNull();
		});
	}

	@Test
	void inputReplacesTheFieldsValue() {
		Page page = open("/shop");
		page.fill("#email", "old@example.com");
		model.enqueue(ScriptedAnswers.bboxOf(page, "#email", "Email"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		ai.input("the email field", "ada@example.com");

		assertThat(page.inputValue("#email")).isEqualTo("ada@example.com");
	}

	@Test
	void locateReturnsTheBoxInCssPixels() {
		Page page = open("/shop");
		model.enqueue(ScriptedAnswers.bboxOf(page, "#add", "Add to cart"));
		var expected = page.locator("#add").boundingBox();

		Location location = ai(page, SightlineOptions.defaults()).locate("the Add to cart button");

		assertThat(location.fromCache()).isFalse();
		assertThat(location.selector()).isEqualTo("#add");
		assertThat(location.box()).isNotNull();
		assertThat(location.box().xPx()).isCloseTo(expected.x, org.assertj.core.data.Offset.offset(2.0));
		assertThat(location.box().widthPx()).isCloseTo(expected.width, org.assertj.core.data.Offset.offset(3.0));
		assertThat(location.point().yPx()).isBetween(expected.y, expected.y + expected.height);
	}

	@Test
	void assertThatPassesWhenTheModelSeesTheStatementHold() {
		Page page = open("/shop");
		model.enqueue(Reply.text("{\"pass\": true, \"reason\": \"The cart line reads 0 items.\"}"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		ai.assertThat("the cart is empty");

		assertThat(model.requests().get(0).allText()).contains("Statement: the cart is empty");
		assertThat(ai.steps().get(0).detail()).contains("The cart line reads 0 items.");
	}

	@Test
	void assertThatFailsWithTheModelsReasonAndTheScreenshot() {
		Page page = open("/shop");
		model.enqueue(Reply.text("```json\n{\"pass\": false, \"reason\": \"The cart shows 0 items, not 2.\"}\n```"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		assertThatThrownBy(() -> ai.assertThat("the cart shows 2 items")).isInstanceOfSatisfying(
				SightlineAssertionError.class, error -> {
					assertThat(error).hasMessageContaining("the cart shows 2 items")
						.hasMessageContaining("The cart shows 0 items, not 2.");
					assertThat(error.reason()).isEqualTo("The cart shows 0 items, not 2.");
					assertThat(error.screenshotPng()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
				});
		assertThat(ai.steps().get(0).passed()).isFalse();
	}

	@Test
	void waitForChecksAgainUntilTheStatementHolds() {
		Page page = open("/shop");
		model.enqueue(Reply.text("{\"pass\": false, \"reason\": \"still 0 items\"}"),
				Reply.text("{\"pass\": true, \"reason\": \"1 item\"}"));
		SightlineAi ai = ai(page, SightlineOptions.defaults().withPollIntervalMs(10));

		ai.waitFor("the cart shows 1 item", 5_000);

		assertThat(model.requests()).hasSize(2);
	}

	record Product(String name, double priceEur) {
	}

	record ProductList(List<Product> products) {
	}

	@Test
	void queryReadsTheAnswerIntoARecordThroughItsSchema() {
		Page page = open("/shop");
		model.enqueue(Reply.text("Here you go:\n{\"products\": [{\"name\": \"Green tea\", \"priceEur\": 3.5},"
				+ " {\"name\": \"Black tea\", \"priceEur\": 2.9}]}"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		ProductList list = ai.query("the products and their prices", ProductList.class);

		assertThat(list.products()).containsExactly(new Product("Green tea", 3.5), new Product("Black tea", 2.9));
		assertThat(model.requests().get(0).allText()).contains("\"priceEur\":{\"type\":\"number\"}")
			.contains("the products and their prices");
		// The endpoint is asked to decode into the record's schema; the answer above (a sentence around the value,
		// as a server ignoring the format gives) is read all the same.
		var format = model.requests().get(0).json().path("response_format");
		assertThat(format.path("type").asText()).isEqualTo("json_schema");
		assertThat(format.at("/json_schema/schema/properties/products/items/required").toString())
			.isEqualTo("[\"name\",\"priceEur\"]");
	}

	enum Stock {
		IN_STOCK, SOLD_OUT
	}

	record Offer(String name, Stock stock, boolean onSale) {
	}

	@Test
	void queryOnTheInProcessModelGetsSchemaValidJsonByConstructionEvenFromRandomWeights() {
		// tiny-a has random weights: unconstrained it writes no JSON at all; decoded into the schema, every answer
		// reads into the record.
		Page page = open("/shop");
		try (var tiny = InProcessModel.load(Path.of("../vision-runtime/src/test/resources/golden/qwen2_5_vl/models/tiny-a"))) {
			SightlineAi ai = SightlineAi.create(page, tiny, SightlineOptions.defaults().withMaxNewTokens(48).withProfile("qwen2.5-vl"));
			Offer offer = ai.query("the first product", Offer.class);
			assertThat(offer.name()).isNotNull();
			assertThat(offer.stock()).isIn(Stock.IN_STOCK, Stock.SOLD_OUT);
			assertThat(ai.queryNumber("how many products?")).isFinite();
		}
	}

	@Test
	void scalarQueriesReadBooleansNumbersAndStrings() {
		Page page = open("/shop");
		model.enqueue(Reply.text("{\"value\": true}"), Reply.text("{\"value\": 2}"),
				Reply.text("{\"value\": \"Tea shop\"}"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		assertThat(ai.queryBoolean("is there an Add to cart button?")).isTrue();
		assertThat(ai.queryNumber("how many products are listed?")).isEqualTo(2.0);
		assertThat(ai.queryString("what is the page's heading?")).isEqualTo("Tea shop");
	}

	@Test
	void aSecondRunHitsTheCacheAndMakesNoModelCalls() throws Exception {
		Path cacheFile = dir.resolve("locations.json");
		Page first = open("/shop");
		model.enqueue(ScriptedAnswers.bboxOf(first, "#add", "Add to cart"));
		ai(first, SightlineOptions.defaults().withCache(LocationCache.file(cacheFile))).tap("the Add to cart button");
		assertThat(model.requests()).hasSize(1);
		String cached = Files.readString(cacheFile, StandardCharsets.UTF_8);
		assertThat(cached).contains("\"url\" : \"127.0.0.1/shop\"", "\"viewport\" : \"1280x720\"",
				"\"instruction\" : \"the Add to cart button\"", "\"selector\" : \"#add\"");

		// A new run: a fresh browser context and a cache read back from the file.
		Page second = open("/shop");
		SightlineAi rerun = ai(second, SightlineOptions.defaults().withCache(LocationCache.file(cacheFile)));
		rerun.tap("the Add to cart button");

		assertThat(second.textContent("#cart")).isEqualTo("1 item");
		assertThat(model.requests()).hasSize(1);
		assertThat(rerun.modelCalls()).isZero();
		assertThat(rerun.cacheHits()).isEqualTo(1);
		assertThat(rerun.steps().get(0).cacheHit()).isTrue();
	}

	@Test
	void aChangedPageInvalidatesTheEntryAndAsksTheModelAgain() throws Exception {
		Path cacheFile = dir.resolve("locations.json");
		Page first = open("/shop");
		model.enqueue(ScriptedAnswers.bboxOf(first, "#add", "Add to cart"));
		ai(first, SightlineOptions.defaults().withCache(LocationCache.file(cacheFile))).tap("the Add to cart button");

		pages.put("/shop", SHOP_REDESIGNED);
		Page redesigned = open("/shop");
		model.enqueue(ScriptedAnswers.bboxOf(redesigned, ".toolbar button", "Add to basket"));
		SightlineAi rerun = ai(redesigned, SightlineOptions.defaults().withCache(LocationCache.file(cacheFile)));
		rerun.tap("the Add to cart button");

		assertThat(redesigned.textContent("#cart")).isEqualTo("1 item");
		assertThat(model.requests()).hasSize(2);
		assertThat(rerun.cacheHits()).isZero();
		assertThat(rerun.steps().get(0).detail()).contains("no longer fits");
		assertThat(Files.readString(cacheFile, StandardCharsets.UTF_8)).doesNotContain("\"#add\"")
			.contains("Add to basket");
	}

	@Test
	void readOnlyModeReplaysButNeverWrites() {
		Path cacheFile = dir.resolve("locations.json");
		Page page = open("/shop");
		model.enqueue(ScriptedAnswers.bboxOf(page, "#add", "Add to cart"));

		ai(page, SightlineOptions.defaults().withCache(LocationCache.file(cacheFile)).withCacheMode(CacheMode.READ_ONLY))
			.tap("the Add to cart button");

		assertThat(model.requests()).hasSize(1);
		assertThat(cacheFile).doesNotExist();
	}

	@Test
	void actRunsTheModelsActionsUntilItTerminates() {
		Page page = open("/shop");
		ModelPoint add = ScriptedAnswers.centreOf(page, "#add");
		String click = "{\"action\": \"left_click\", \"coordinate\": [" + add.xPx() + ", " + add.yPx() + "]}";
		model.enqueue(Reply.toolCall(click), Reply.toolCall(click),
				Reply.toolCall("{\"action\": \"terminate\", \"status\": \"success\"}"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		ActResult result = ai.act("put two items in the cart");

		assertThat(page.textContent("#cart")).isEqualTo("2 items");
		assertThat(result.steps()).isEqualTo(3);
		assertThat(result.actions()).hasSize(2).allSatisfy(action -> assertThat(action).startsWith("left click at"));
		assertThat(model.requests().get(2).allText()).contains("put two items in the cart", "Step 1:", "Step 2:");
	}

	@Test
	void actFailsWhenTheModelGivesUp() {
		Page page = open("/shop");
		model.enqueue(Reply.toolCall("{\"action\": \"terminate\", \"status\": \"failure\"}"));
		SightlineAi ai = ai(page, SightlineOptions.defaults());

		assertThatThrownBy(() -> ai.act("pay with a gift card")).isInstanceOf(SightlineAssertionError.class)
			.hasMessageContaining("pay with a gift card")
			.hasMessageContaining("gave up");
	}

}
