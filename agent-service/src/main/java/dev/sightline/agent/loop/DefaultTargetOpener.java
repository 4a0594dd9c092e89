package dev.sightline.agent.loop;

import java.nio.file.Path;

import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.config.DesktopSettings;
import dev.sightline.agent.task.HostRules;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.ToolsException;
import dev.sightline.tools.browser.BrowserPool;
import dev.sightline.tools.browser.BrowserTarget;
import dev.sightline.tools.desktop.DesktopSession;
import dev.sightline.tools.execute.Executor;
import dev.sightline.net.NavigationPolicy;

/**
 * Opens browser tasks in the shared {@link BrowserPool} with the server's navigation policy narrowed by the task's
 * {@code allowedHosts} (downloads go to the task's directory), and desktop tasks on an Xvfb of their own or, where
 * the operator allowed it for the task's tenant, on an existing X display.
 */
public final class DefaultTargetOpener implements TargetOpener {

	private final BrowserPool pool;

	private final BrowserSettings settings;

	private final Path downloads;

	private final DesktopSettings desktop;

	private TaskFileHandler files = TaskFileHandler.NONE;

	/** Only own Xvfb displays for desktop tasks. */
	public DefaultTargetOpener(BrowserPool pool, BrowserSettings settings, Path downloads) {
		this(pool, settings, downloads, DesktopSettings.defaults());
	}

	public DefaultTargetOpener(BrowserPool pool, BrowserSettings settings, Path downloads, DesktopSettings desktop) {
		this.pool = pool;
		this.settings = settings;
		this.downloads = downloads;
		this.desktop = desktop;
	}

	/** Where browser tasks' input files come from, for the page's file chooser. */
	public DefaultTargetOpener files(TaskFileHandler files) {
		this.files = files;
		return this;
	}

	@Override
	public Executor open(Task task) {
		if (task.spec().target() instanceof TaskTarget.Desktop desktop) {
			// Checked at submit too; again here for tasks queued before a configuration change, or stored by hand.
			String refused = this.desktop.refusal(task.tenant(), desktop.display());
			if (refused != null) {
				throw new ToolsException(refused);
			}
			if (desktop.ownDisplay()) {
				int width = desktop.screen() == null ? settings.defaultViewportWidth() : desktop.screen().width();
				int height = desktop.screen() == null ? settings.defaultViewportHeight() : desktop.screen().height();
				return OwnDisplayExecutor.start(width, height);
			}
			// An existing display is only used, never stopped, so the session needs no closing.
			return DesktopSession
				.existing(desktop.display(), this.desktop.xauthority() == null ? null : Path.of(this.desktop.xauthority()))
				.open();
		}
		TaskTarget.Browser browser = (TaskTarget.Browser) task.spec().target();
		NavigationPolicy policy = HostRules.policyFor(settings.allowedHosts(), settings.deniedHosts(),
				task.spec().allowedHosts());
		int width = browser.viewport() == null ? settings.defaultViewportWidth() : browser.viewport().width();
		int height = browser.viewport() == null ? settings.defaultViewportHeight() : browser.viewport().height();
		double dpr = browser.dpr() == null ? 1 : browser.dpr();
		// Inputs beside (not inside) the task's downloads directory, so they are never taken for downloads.
		return pool.open(new BrowserTarget(browser.url(), width, height, dpr, policy, downloads.resolve(task.id()))
			.withUploads(files.uploadsFor(task, downloads.resolve("uploads").resolve(task.id()))));
	}

}
