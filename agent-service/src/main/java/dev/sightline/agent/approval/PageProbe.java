package dev.sightline.agent.approval;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.actions.Action;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.Executor;
import dev.sightline.tools.execute.PointInfo;

/**
 * Asks the target, before an action runs, what lies under its point (or has the focus, for keys and typing): the
 * page and frame hosts, whether the element submits a form or downloads a file. Browsers answer from an isolated
 * JavaScript world the page cannot patch, with iframes resolved to their own frame and host; a desktop target yields
 * {@link ActionContext#UNKNOWN}-like answers with no host.
 */
public final class PageProbe {

	private PageProbe() {
	}

	public static ActionContext probe(Executor executor, Action action, CoordinateMapping mapping) {
		ScreenPoint at = null;
		List<ModelPoint> points = action.points();
		if (!points.isEmpty()) {
			try {
				at = mapping.toScreen(points.get(0));
			}
			catch (RuntimeException e) {
				// Outside the image: the executor will refuse it, nothing on the page to judge.
				String host = ApprovalRules.hostOf(executor.pageUrl().orElse(""));
				return new ActionContext(host, false, false, "");
			}
		}
		else if (ApprovalRules.isClick(action)) {
			// A click at wherever the pointer is: the probe cannot know what is there, so it may submit anything.
			PointInfo page = executor.inspect(null);
			String host = ApprovalRules.hostOf(page.pageUrl() == null ? "" : page.pageUrl());
			return new ActionContext(host, host, false, false, page.pageUrl() != null, "the element at the pointer");
		}
		PointInfo info = executor.inspect(at);
		return new ActionContext(host(info.pageUrl()), host(info.frameUrl()), info.submitsForm(), info.downloads(),
				info.opaque(), info.element());
	}

	private static @Nullable String host(@Nullable String url) {
		return url == null ? null : ApprovalRules.hostOf(url);
	}

}
