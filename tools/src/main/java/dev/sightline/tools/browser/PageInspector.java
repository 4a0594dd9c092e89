package dev.sightline.tools.browser;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.ElementHandle;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.BoundingBox;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.PointInfo;
import dev.sightline.tools.execute.ScreenshotMask;

/**
 * Page inspection in {@link PageWorld isolated worlds}: what lies at a point before an action (approval rules), and
 * where a field that received a secret is (masking). Same-origin iframes are entered from the parent's world;
 * cross-origin ones, which Chromium runs out of process, are probed through a DevTools session of their own, so a
 * submit button inside a payment iframe is seen as one.
 */
final class PageInspector {

	/** Nested frames entered before giving up; deeper nesting is reported as opaque. */
	private static final int MAX_FRAME_DEPTH = 6;

	// Describes one hit element (what a click there submits or downloads, a label that never carries a typed value),
	// or, for an iframe whose document this world cannot read, where to enter it. Shadow roots are crossed: the
	// control or link around the element is looked for up through its hosts.
	private static final String DESCRIBE = """
			(at, x, depthLeft, ox, oy) => {
			  const doc = at.ownerDocument;
			  if (at.tagName === 'IFRAME' || at.tagName === 'FRAME') {
			    const r = at.getBoundingClientRect();
			    const style = at.ownerDocument.defaultView.getComputedStyle(at);
			    const cx = ox + r.left + at.clientLeft + parseFloat(style.paddingLeft || '0');
			    const cy = oy + r.top + at.clientTop + parseFloat(style.paddingTop || '0');
			    return { submits: false, downloads: false, opaque: true, element: 'iframe',
			             frameUrl: null, rect: [ox + r.left, oy + r.top, r.width, r.height], content: [cx, cy] };
			  }
			  const closest = (el, selector) => {
			    for (let e = el; e; ) {
			      const found = e.closest(selector);
			      if (found) return found;
			      const root = e.getRootNode();
			      e = root instanceof ShadowRoot ? root.host : null;
			    }
			    return null;
			  };
			  const link = closest(at, 'a[href]');
			  const control = closest(at, 'button, input, select, textarea');
			  const tag = (control || link || at).tagName.toLowerCase();
			  const type = control ? (control.getAttribute('type')
			      || (control.tagName === 'BUTTON' ? 'submit' : control.tagName === 'INPUT' ? 'text' : '')).toLowerCase() : '';
			  const buttonLike = control && (control.tagName === 'BUTTON' || ['submit', 'button', 'reset', 'image'].includes(type));
			  let submits = false;
			  if (control && control.form) {
			    if (x < 0) {
			      // Enter in a text-like input submits its form (implicit submission); on a submit button it presses it.
			      submits = (control.tagName === 'INPUT' && !['button', 'reset', 'checkbox', 'radio', 'file'].includes(type))
			          || (control.tagName === 'BUTTON' && type === 'submit');
			    } else {
			      submits = type === 'submit' || type === 'image';
			    }
			  }
			  // A field's typed value never goes into the label: it may be a secret.
			  const caption = buttonLike ? (control.tagName === 'BUTTON' ? control.textContent : control.value)
			      : control ? (control.getAttribute('aria-label') || control.getAttribute('placeholder') || control.name || '')
			      : (link ? link.textContent : at.textContent);
			  const label = (caption || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
			  return { submits, downloads: !!(link && link.hasAttribute('download')), opaque: false,
			           element: tag + (type && control && control.tagName === 'INPUT' ? '[' + type + ']' : '') + " '" + label + "'",
			           frameUrl: doc.location.href };
			}""";

	// Looks at the element under (x, y) in CSS px of this frame, or at the focused element when x < 0 (through open
	// shadow roots). Enters same-origin iframes; returns where to enter one whose document it cannot read.
	private static final String PROBE = """
			([x, y, depthLeft]) => {
			  const describe = __DESCRIBE__;
			  let doc = document, ox = 0, oy = 0;
			  for (let depth = 0; ; depth++) {
			    let at = x < 0 ? doc.activeElement : doc.elementFromPoint(x - ox, y - oy);
			    while (x < 0 && at && at.shadowRoot && at.shadowRoot.activeElement) at = at.shadowRoot.activeElement;
			    if (!at || (x < 0 && at === doc.body)) {
			      return { submits: false, downloads: false, opaque: false, element: '', frameUrl: doc.location.href };
			    }
			    if (at.tagName === 'IFRAME' || at.tagName === 'FRAME') {
			      let inner = null;
			      try { inner = at.contentDocument; } catch (e) { inner = null; }
			      if (inner && depth < depthLeft) {
			        const r = at.getBoundingClientRect();
			        const style = getComputedStyle(at);
			        ox += r.left + at.clientLeft + parseFloat(style.paddingLeft || '0');
			        oy += r.top + at.clientTop + parseFloat(style.paddingTop || '0');
			        doc = inner;
			        continue;
			      }
			    }
			    return describe(at, x, depthLeft, ox, oy);
			  }
			}""".replace("__DESCRIBE__", DESCRIBE);

	// Called on an element found by the browser's hit test: its offset in the top frame of this world (through
	// same-origin parent frames), then its description.
	private static final String DESCRIBE_HIT = """
			function (x, depthLeft) {
			  const at = this.nodeType === 1 ? this : this.parentElement;
			  if (!at) return null;
			  let ox = 0, oy = 0;
			  for (let w = at.ownerDocument.defaultView; w && w.frameElement; w = w.parent) {
			    const fe = w.frameElement;
			    const r = fe.getBoundingClientRect();
			    const style = w.parent.getComputedStyle(fe);
			    ox += r.left + fe.clientLeft + parseFloat(style.paddingLeft || '0');
			    oy += r.top + fe.clientTop + parseFloat(style.paddingTop || '0');
			  }
			  return (__DESCRIBE__)(at, x, depthLeft, ox, oy);
			}""".replace("__DESCRIBE__", DESCRIBE);

	// Keeps, in the isolated world, the outermost element holding the focus (the iframe when the field is inside
	// one) and the focused field's box at typing time in top-frame CSS px. Null outer: no field had the focus.
	private static final String KEEP_FOCUSED = """
			(() => {
			  let e = document.activeElement, ox = 0, oy = 0, outer = null;
			  for (let depth = 0; e && depth < 8; depth++) {
			    if (outer === null && e !== document.body) outer = e;
			    if (e.tagName !== 'IFRAME' && e.tagName !== 'FRAME') break;
			    let inner = null;
			    try { inner = e.contentDocument; } catch (x) { inner = null; }
			    if (!inner || !inner.activeElement || inner.activeElement === inner.body) break;
			    const r = e.getBoundingClientRect();
			    ox += r.left + e.clientLeft; oy += r.top + e.clientTop;
			    e = inner.activeElement;
			  }
			  if (!outer) return { outer: null, box: null };
			  const r = e.getBoundingClientRect();
			  return { outer, box: [ox + r.left, oy + r.top, r.width, r.height] };
			})()""";

	// Boxes to paint for a kept field: its box at typing time and, while it is in the document, its box now.
	private static final String FIELD_BOXES = """
			function () {
			  if (!this.outer) return null;
			  const boxes = [this.box];
			  if (this.outer.isConnected) {
			    const r = this.outer.getBoundingClientRect();
			    boxes.push([r.left, r.top, r.width, r.height]);
			  }
			  return boxes;
			}""";

	/** A field that received a secret, kept in the isolated world of {@code page}'s document. */
	record SecretField(Page page, String objectId) {
	}

	private PageInspector() {
	}

	static PointInfo inspect(Page page, CDPSession main, @Nullable ScreenPoint at) {
		double x = at == null ? -1 : at.xPx();
		double y = at == null ? -1 : at.yPx();
		String pageUrl = page.url();
		JsonObject found = probe(main, x, y);
		// Offset of the frame probed last, in top-frame CSS px.
		double ox = 0;
		double oy = 0;
		for (int depth = 0; found.get("opaque").getAsBoolean() && depth < MAX_FRAME_DEPTH; depth++) {
			Frame frame = frameAt(page, found.getAsJsonArray("rect"), ox, oy);
			if (frame == null) {
				break;
			}
			JsonArray content = found.getAsJsonArray("content");
			ox += content.get(0).getAsDouble();
			oy += content.get(1).getAsDouble();
			CDPSession session;
			try {
				session = page.context().newCDPSession(frame);
			}
			catch (PlaywrightException ex) {
				// In the parent's process (same site, other origin): no session of its own, unreadable from the parent.
				return new PointInfo(pageUrl, frame.url(), false, false, true, "iframe " + frame.url());
			}
			try {
				found = probe(session, x < 0 ? -1 : x - ox, y < 0 ? -1 : y - oy);
			}
			finally {
				detachQuietly(session);
			}
			if (!found.get("opaque").getAsBoolean()) {
				return info(pageUrl, found);
			}
		}
		return info(pageUrl, found);
	}

	private static JsonObject probe(CDPSession session, double x, double y) {
		PageWorld world = PageWorld.of(session);
		// The browser's own hit test, and its list of shadow roots, reach into closed shadow roots, which no script
		// can enter.
		var found = x >= 0 ? world.describeHit(x, y, DESCRIBE_HIT, "[" + x + ", " + MAX_FRAME_DEPTH + "]")
				: world.describeFocused(DESCRIBE_HIT, "[-1, " + MAX_FRAME_DEPTH + "]");
		if (found.isPresent()) {
			return found.get().getAsJsonObject();
		}
		JsonElement result = world.evaluate("(" + PROBE + ")([" + x + ", " + y + ", " + MAX_FRAME_DEPTH + "])");
		if (result == null || !result.isJsonObject()) {
			return new JsonObject();
		}
		return result.getAsJsonObject();
	}

	private static PointInfo info(String pageUrl, JsonObject found) {
		if (!found.has("opaque")) {
			return new PointInfo(pageUrl, pageUrl, false, false, false, "");
		}
		JsonElement frameUrl = found.get("frameUrl");
		return new PointInfo(pageUrl, frameUrl == null || frameUrl.isJsonNull() ? null : frameUrl.getAsString(),
				found.get("submits").getAsBoolean(), found.get("downloads").getAsBoolean(),
				found.get("opaque").getAsBoolean(), found.get("element").getAsString());
	}

	/** The child frame whose element's border box is {@code rect} (CSS px of the probed frame at {@code ox, oy}). */
	private static @Nullable Frame frameAt(Page page, @Nullable JsonArray rect, double ox, double oy) {
		if (rect == null) {
			return null;
		}
		double left = ox + rect.get(0).getAsDouble();
		double top = oy + rect.get(1).getAsDouble();
		for (Frame frame : page.frames()) {
			if (frame.parentFrame() == null) {
				continue;
			}
			try {
				ElementHandle element = frame.frameElement();
				BoundingBox box = element.boundingBox();
				element.dispose();
				if (box != null && Math.abs(box.x - left) < 1 && Math.abs(box.y - top) < 1
						&& Math.abs(box.width - rect.get(2).getAsDouble()) < 1) {
					return frame;
				}
			}
			catch (PlaywrightException ex) {
				// The frame detached while we looked: not the one.
			}
		}
		return null;
	}

	/** Keeps the focused field of {@code page} in the isolated world; null when the world could not be reached. */
	static @Nullable SecretField keepFocused(Page page, CDPSession main) {
		String objectId = PageWorld.of(main).keep(KEEP_FOCUSED);
		return objectId == null ? null : new SecretField(page, objectId);
	}

	/**
	 * The boxes to paint for {@code field}: empty list when its document is gone (navigated away), null when no
	 * field had the focus while the secret was typed (then the whole frame is painted).
	 */
	static @Nullable List<ScreenshotMask.Box> boxes(SecretField field, CDPSession main) {
		var value = PageWorld.of(main).callOn(field.objectId(), FIELD_BOXES);
		if (value.isEmpty()) {
			return List.of();
		}
		if (value.get().isJsonNull()) {
			return null;
		}
		List<ScreenshotMask.Box> boxes = new ArrayList<>();
		for (JsonElement box : value.get().getAsJsonArray()) {
			JsonArray b = box.getAsJsonArray();
			boxes.add(new ScreenshotMask.Box(b.get(0).getAsDouble(), b.get(1).getAsDouble(), b.get(2).getAsDouble(),
					b.get(3).getAsDouble()));
		}
		return boxes;
	}

	private static void detachQuietly(CDPSession session) {
		try {
			session.detach();
		}
		catch (PlaywrightException ignored) {
			// The frame went away: nothing to detach.
		}
	}

}
