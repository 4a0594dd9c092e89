package dev.sightline.tools.browser;

import dev.sightline.tools.ToolsException;

/** A navigation the {@link NavigationPolicy} refused; the message names the URL and the rule. */
public class NavigationDeniedException extends ToolsException {

	public NavigationDeniedException(String message) {
		super(message);
	}

}
