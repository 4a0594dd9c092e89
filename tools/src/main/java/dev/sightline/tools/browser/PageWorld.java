package dev.sightline.tools.browser;

import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.PlaywrightException;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;

/**
 * Runs scripts in an isolated JavaScript world of a frame, created through the DevTools protocol
 * ({@code Page.createIsolatedWorld}). The world shares the DOM with the page but not its globals or prototypes, so a
 * page that replaces {@code document.elementFromPoint}, {@code getBoundingClientRect} or attribute readers in its own
 * world changes nothing here, and it cannot read or delete what the executor keeps in this world. Playwright's own
 * utility world would do the same, but it is not public API; {@code page.evaluate} runs in the page's world.
 * Objects kept here live as long as the frame's document: a navigation destroys the world and them with it.
 */
final class PageWorld {

	static final String WORLD_NAME = "sightline-probe";

	private final CDPSession cdp;

	private PageWorld(CDPSession cdp) {
		this.cdp = cdp;
	}

	/** The isolated world of the top frame of {@code cdp}'s target (a page, or an out-of-process iframe). */
	static PageWorld of(CDPSession cdp) {
		return new PageWorld(cdp);
	}

	/** Evaluates {@code expression} in a fresh isolated world of the current document; the result by value. */
	@Nullable JsonElement evaluate(String expression) {
		JsonObject result = run(expression, true);
		return result.get("value");
	}

	/** Evaluates {@code expression} and keeps its result in the world; its object id, or null for a primitive. */
	@Nullable String keep(String expression) {
		JsonObject result = run(expression, false);
		return result.has("objectId") ? result.get("objectId").getAsString() : null;
	}

	/**
	 * Calls {@code functionDeclaration} with {@code this} bound to a kept object; the result by value, or empty when
	 * the object is gone (its document navigated away).
	 */
	Optional<JsonElement> callOn(String objectId, String functionDeclaration) {
		JsonObject params = new JsonObject();
		params.addProperty("objectId", objectId);
		params.addProperty("functionDeclaration", functionDeclaration);
		params.addProperty("returnByValue", true);
		JsonObject answer;
		try {
			answer = cdp.send("Runtime.callFunctionOn", params);
		}
		catch (PlaywrightException ex) {
			// "Could not find object with given id" / "Cannot find context": the document is gone.
			return Optional.empty();
		}
		if (answer.has("exceptionDetails")) {
			throw new ToolsException("isolated-world call failed: " + answer.get("exceptionDetails"));
		}
		JsonElement value = answer.getAsJsonObject("result").get("value");
		return Optional.of(value == null ? JsonNull.INSTANCE : value);
	}

	/**
	 * The element hit at {@code (xCss, yCss)} of this frame's viewport, as the browser's own hit test finds it
	 * ({@code DOM.getNodeForLocation}: through open and closed shadow roots and into same-process iframes), described
	 * by {@code functionDeclaration} called on it in this world with {@code args}; empty when no element can be
	 * resolved here (nothing hit, or a node of a document this world may not touch).
	 */
	Optional<JsonElement> describeHit(double xCss, double yCss, String functionDeclaration, String argsJson) {
		int context = contextId();
		JsonElement scroll = run("[scrollX, scrollY]", true, context).get("value");
		if (scroll == null || !scroll.isJsonArray()) {
			return Optional.empty();
		}
		JsonObject at = new JsonObject();
		// The hit test takes document coordinates: the viewport point plus the scroll offset.
		at.addProperty("x", (int) Math.floor(xCss + scroll.getAsJsonArray().get(0).getAsDouble()));
		at.addProperty("y", (int) Math.floor(yCss + scroll.getAsJsonArray().get(1).getAsDouble()));
		String objectId;
		try {
			int backendNodeId = cdp.send("DOM.getNodeForLocation", at).get("backendNodeId").getAsInt();
			JsonObject resolve = new JsonObject();
			resolve.addProperty("backendNodeId", backendNodeId);
			resolve.addProperty("executionContextId", context);
			resolve.addProperty("objectGroup", WORLD_NAME);
			objectId = cdp.send("DOM.resolveNode", resolve).getAsJsonObject("object").get("objectId").getAsString();
		}
		catch (PlaywrightException | NullPointerException | IllegalStateException ex) {
			// No node there, or one this world cannot wrap (another origin's document in this process).
			return Optional.empty();
		}
		return applyOn(objectId, functionDeclaration, argsJson);
	}

	// The focused element of the top document through open shadow roots; null for none, the body or an iframe.
	private static final String FOCUSED = """
			(() => {
			  let e = document.activeElement;
			  if (!e || e === document.body || e.tagName === 'IFRAME' || e.tagName === 'FRAME') return null;
			  while (e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
			  return e;
			})()""";

	// Called on a shadow root: its focused element, further through open roots below it.
	private static final String ROOT_FOCUSED = """
			function () {
			  let e = this.activeElement;
			  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
			  return e;
			}""";

	/** Shadow roots entered at most while looking for the focus; deeper nesting is described at its host. */
	private static final int MAX_SHADOW_DEPTH = 8;

	/**
	 * The element with the keyboard focus in this frame's document, also inside closed shadow roots (which no script
	 * can enter; the DevTools protocol lists them), described by {@code functionDeclaration} called on it with
	 * {@code args}; empty when the focus is on no element, the body, or an iframe (the caller enters frames).
	 */
	Optional<JsonElement> describeFocused(String functionDeclaration, String argsJson) {
		int context = contextId();
		JsonObject focused = run(FOCUSED, false, context);
		if (!focused.has("objectId")) {
			return Optional.empty();
		}
		String objectId = focused.get("objectId").getAsString();
		for (int depth = 0; depth < MAX_SHADOW_DEPTH; depth++) {
			JsonObject describe = new JsonObject();
			describe.addProperty("objectId", objectId);
			describe.addProperty("depth", 1);
			describe.addProperty("pierce", true);
			JsonObject node = cdp.send("DOM.describeNode", describe).getAsJsonObject("node");
			if (!node.has("shadowRoots") || node.getAsJsonArray("shadowRoots").isEmpty()) {
				break;
			}
			JsonObject resolve = new JsonObject();
			resolve.addProperty("backendNodeId",
					node.getAsJsonArray("shadowRoots").get(0).getAsJsonObject().get("backendNodeId").getAsInt());
			resolve.addProperty("executionContextId", context);
			resolve.addProperty("objectGroup", WORLD_NAME);
			String root = cdp.send("DOM.resolveNode", resolve).getAsJsonObject("object").get("objectId").getAsString();
			JsonObject call = new JsonObject();
			call.addProperty("objectId", root);
			call.addProperty("functionDeclaration", ROOT_FOCUSED);
			JsonObject inner = cdp.send("Runtime.callFunctionOn", call).getAsJsonObject("result");
			if (!inner.has("objectId")) {
				// A closed root whose focus is on nothing inside: the host itself has it.
				break;
			}
			objectId = inner.get("objectId").getAsString();
		}
		return applyOn(objectId, functionDeclaration, argsJson);
	}

	/**
	 * Applies {@code functionDeclaration} to {@code argsJson} with {@code this} the node {@code objectId}; its JSON
	 * object answer, if any.
	 */
	private Optional<JsonElement> applyOn(String objectId, String functionDeclaration, String argsJson) {
		JsonObject params = new JsonObject();
		params.addProperty("objectId", objectId);
		params.addProperty("functionDeclaration",
				"function () { return (" + functionDeclaration + ").apply(this, " + argsJson + "); }");
		params.addProperty("returnByValue", true);
		JsonObject answer = cdp.send("Runtime.callFunctionOn", params);
		if (answer.has("exceptionDetails")) {
			throw new ToolsException("isolated-world call failed: " + answer.get("exceptionDetails"));
		}
		JsonElement value = answer.getAsJsonObject("result").get("value");
		return value == null || !value.isJsonObject() ? Optional.empty() : Optional.of(value);
	}

	private JsonObject run(String expression, boolean byValue) {
		return run(expression, byValue, contextId());
	}

	private JsonObject run(String expression, boolean byValue, int context) {
		JsonObject params = new JsonObject();
		params.addProperty("expression", expression);
		params.addProperty("contextId", context);
		params.addProperty("returnByValue", byValue);
		params.addProperty("objectGroup", WORLD_NAME);
		JsonObject answer = cdp.send("Runtime.evaluate", params);
		if (answer.has("exceptionDetails")) {
			throw new ToolsException("isolated-world script failed: " + answer.get("exceptionDetails"));
		}
		return answer.getAsJsonObject("result");
	}

	private int contextId() {
		String frameId = cdp.send("Page.getFrameTree")
			.getAsJsonObject("frameTree")
			.getAsJsonObject("frame")
			.get("id")
			.getAsString();
		JsonObject params = new JsonObject();
		params.addProperty("frameId", frameId);
		params.addProperty("worldName", WORLD_NAME);
		// No universal access: the world keeps the frame's origin, so same-origin child frames stay readable and
		// cross-origin ones do not.
		params.addProperty("grantUniveralAccess", false);
		return cdp.send("Page.createIsolatedWorld", params).get("executionContextId").getAsInt();
	}

}
