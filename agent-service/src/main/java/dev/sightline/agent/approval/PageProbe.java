package dev.sightline.agent.approval;

import java.util.List;
import java.util.Map;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.browser.BrowserExecutor;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.Executor;

/**
 * Asks the page, before an action runs, what lies under its point: the page host, whether the element submits a form
 * or downloads a file. Only browsers can tell; a desktop target yields {@link ActionContext#UNKNOWN}.
 */
public final class PageProbe {

	// Looks at the element under (x, y) in CSS px, or the focused element when there is no point (Enter).
	private static final String SCRIPT = """
			([x, y]) => {
			  const at = x < 0 ? document.activeElement : document.elementFromPoint(x, y);
			  if (!at) return { submits: false, downloads: false, element: '' };
			  const link = at.closest('a[href]');
			  const control = at.closest('button, input');
			  let submits = false;
			  if (control && control.form) {
			    const type = (control.getAttribute('type') || (control.tagName === 'BUTTON' ? 'submit' : 'text')).toLowerCase();
			    submits = x < 0 ? control.tagName === 'INPUT' && type !== 'button' : (type === 'submit' || type === 'image');
			  }
			  const label = ((control && (control.value || control.textContent)) || (link && link.textContent)
			      || at.textContent || '').trim().slice(0, 60);
			  const tag = (control || link || at).tagName.toLowerCase();
			  return { submits, downloads: !!(link && link.hasAttribute('download')), element: tag + " '" + label + "'" };
			}""";

	private PageProbe() {
	}

	public static ActionContext probe(Executor executor, Action action, CoordinateMapping mapping) {
		if (!(executor instanceof BrowserExecutor browser)) {
			return ActionContext.UNKNOWN;
		}
		String host = ApprovalRules.hostOf(browser.currentUrl());
		ScreenPoint at = new ScreenPoint(-1, -1);
		List<ModelPoint> points = action.points();
		if (!points.isEmpty()) {
			try {
				at = mapping.toScreen(points.get(0));
			}
			catch (RuntimeException e) {
				// Outside the image: the executor will refuse it, nothing on the page to judge.
				return new ActionContext(host, false, false, "");
			}
		}
		else if (ApprovalRules.isClick(action)) {
			return new ActionContext(host, false, false, "");
		}
		Object result = browser.evaluate("(" + SCRIPT + ")([" + at.xPx() + ", " + at.yPx() + "])");
		if (result instanceof Map<?, ?> found) {
			return new ActionContext(host, Boolean.TRUE.equals(found.get("submits")),
					Boolean.TRUE.equals(found.get("downloads")), String.valueOf(found.get("element")));
		}
		return new ActionContext(host, false, false, "");
	}

}
