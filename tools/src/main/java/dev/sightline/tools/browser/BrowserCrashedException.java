package dev.sightline.tools.browser;

import dev.sightline.tools.ToolsException;

/**
 * The browser process or the task's page crashed. The task using it cannot go on; the {@link BrowserPool} starts a
 * fresh browser for the next task, and other tasks' contexts are unaffected by a page crash.
 */
public class BrowserCrashedException extends ToolsException {

	public BrowserCrashedException(String message) {
		super(message);
	}

	public BrowserCrashedException(String message, Throwable cause) {
		super(message, cause);
	}

}
