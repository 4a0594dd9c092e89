package dev.sightline.tools.testing;

import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Page;
import org.jspecify.annotations.Nullable;

import dev.sightline.tools.coords.ScreenPoint;

/**
 * Reads the DOM where the model pointed, and checks a cached element is still there: the only scripts the library
 * runs in the test's page.
 */
final class PageProbe {

	/** What a replay needs: a selector that matches only this element, and what it shows. */
	record Element(String selector, String fingerprint, CssBox box) {
	}

	// Shared by both scripts: a fingerprint ignores a form control's value, which the test itself changes.
	private static final String FINGERPRINT = """
			const fingerprint = (el) => {
			  const tag = el.tagName.toLowerCase();
			  if (/^(input|textarea|select)$/.test(tag)) {
			    return [tag, el.getAttribute('type') || '', el.getAttribute('name') || '',
			      el.getAttribute('placeholder') || '', el.getAttribute('aria-label') || ''].join('|');
			  }
			  const text = (el.innerText || el.textContent || el.getAttribute('aria-label') || el.getAttribute('title') || '');
			  return tag + '|' + text.trim().replace(/\\s+/g, ' ').slice(0, 80);
			};
			""";

	private static final String ELEMENT_AT = "([x, y]) => {\n" + FINGERPRINT + """
			  let el = document.elementFromPoint(x, y);
			  if (!el || el === document.documentElement || el === document.body) return null;
			  // The control a person means, not the icon or span inside it.
			  const control = el.closest('a,button,input,select,textarea,label,summary,option,[role=button],[role=link],'
			    + '[role=checkbox],[role=radio],[role=tab],[role=menuitem],[role=option],[onclick],[contenteditable=true],[tabindex]');
			  if (control) el = control;
			  const unique = (selector) => { try { return document.querySelectorAll(selector).length === 1; } catch (e) { return false; } };
			  const quote = (value) => '"' + value.replace(/["\\\\]/g, '\\\\$&') + '"';
			  const tag = el.tagName.toLowerCase();
			  let selector = null;
			  if (el.id && unique('#' + CSS.escape(el.id))) selector = '#' + CSS.escape(el.id);
			  for (const attribute of ['data-testid', 'data-test', 'data-qa', 'name', 'aria-label', 'placeholder']) {
			    if (selector) break;
			    const value = el.getAttribute(attribute);
			    if (value && unique(tag + '[' + attribute + '=' + quote(value) + ']')) selector = tag + '[' + attribute + '=' + quote(value) + ']';
			  }
			  if (!selector) {
			    const parts = [];
			    let node = el;
			    while (node && node.nodeType === 1 && node !== document.body && node !== document.documentElement) {
			      if (node.id && unique('#' + CSS.escape(node.id))) { parts.unshift('#' + CSS.escape(node.id)); break; }
			      const name = node.tagName.toLowerCase();
			      const same = Array.from(node.parentElement ? node.parentElement.children : []).filter(c => c.tagName === node.tagName);
			      parts.unshift(same.length > 1 ? name + ':nth-of-type(' + (same.indexOf(node) + 1) + ')' : name);
			      node = node.parentElement;
			    }
			    if (!parts[0].startsWith('#')) parts.unshift('body');
			    selector = parts.join(' > ');
			  }
			  const r = el.getBoundingClientRect();
			  return { selector, fingerprint: fingerprint(el), x: r.left, y: r.top, width: r.width, height: r.height };
			}
			""";

	private static final String VERIFY = "([selector, expected]) => {\n" + FINGERPRINT + """
			  let matches;
			  try { matches = document.querySelectorAll(selector); } catch (e) { return 'the selector is invalid'; }
			  if (matches.length !== 1) return 'the selector matches ' + matches.length + ' elements';
			  const el = matches[0];
			  if (fingerprint(el) !== expected) return 'the element now shows ' + JSON.stringify(fingerprint(el));
			  const r = el.getBoundingClientRect();
			  const style = getComputedStyle(el);
			  if (r.width <= 0 || r.height <= 0 || style.visibility === 'hidden' || style.display === 'none'
			    || parseFloat(style.opacity) === 0) return 'the element is not visible';
			  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
			  if (cx < 0 || cy < 0 || cx >= innerWidth || cy >= innerHeight) return 'the element is outside the viewport';
			  const top = document.elementFromPoint(cx, cy);
			  if (!top || !(top === el || el.contains(top))) return 'the element is covered by another one';
			  return { x: r.left, y: r.top, width: r.width, height: r.height };
			}
			""";

	private final Page page;

	PageProbe(Page page) {
		this.page = page;
	}

	/** The element at a point, or {@code null} when the point hits no element (canvas-like pages, blank areas). */
	@Nullable Element elementAt(ScreenPoint point) {
		Object found = page.evaluate(ELEMENT_AT, List.of(point.xPx(), point.yPx()));
		if (!(found instanceof Map<?, ?> element)) {
			return null;
		}
		return new Element((String) element.get("selector"), (String) element.get("fingerprint"), box(element));
	}

	/**
	 * The cached element's box now, or why the entry no longer fits the page (gone, changed, hidden, covered).
	 */
	Verdict verify(CachedLocation cached) {
		Object result = page.evaluate(VERIFY, List.of(cached.selector(), cached.fingerprint()));
		if (result instanceof Map<?, ?> box) {
			return new Verdict(box(box), null);
		}
		return new Verdict(null, String.valueOf(result));
	}

	record Verdict(@Nullable CssBox box, @Nullable String mismatch) {
	}

	/** The viewport in CSS px: Playwright's viewport when it sets one, else the window's. */
	int[] viewportPx() {
		var size = page.viewportSize();
		if (size != null) {
			return new int[] { size.width, size.height };
		}
		Object inner = page.evaluate("() => [innerWidth, innerHeight]");
		List<?> wh = (List<?>) inner;
		return new int[] { ((Number) wh.get(0)).intValue(), ((Number) wh.get(1)).intValue() };
	}

	double devicePixelRatio() {
		return ((Number) page.evaluate("() => window.devicePixelRatio")).doubleValue();
	}

	/** Resolves after two animation frames: the page has applied what the last input event changed. */
	void awaitRepaint() {
		page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
	}

	private static CssBox box(Map<?, ?> values) {
		return new CssBox(number(values.get("x")), number(values.get("y")), number(values.get("width")),
				number(values.get("height")));
	}

	private static double number(@Nullable Object value) {
		return value instanceof Number n ? n.doubleValue() : 0;
	}

}
