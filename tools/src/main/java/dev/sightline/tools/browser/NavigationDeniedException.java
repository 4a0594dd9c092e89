package dev.sightline.tools.browser;

import dev.sightline.tools.ToolsException;
import dev.sightline.net.HostResolver;
import dev.sightline.net.NavigationPolicy;

/** A navigation the {@link NavigationPolicy} refused; the message names the URL and the rule. */
public class NavigationDeniedException extends ToolsException {

	public NavigationDeniedException(String message) {
		super(message);
	}

	/** Throws unless {@code policy} lets {@code url} load; the message names the URL and the rule that refused it. */
	public static void unlessAllowed(NavigationPolicy policy, String url, HostResolver resolver) {
		NavigationPolicy.Decision decision = policy.check(url, resolver);
		if (!decision.allowed()) {
			String shown = url.length() <= 200 ? url : url.substring(0, 200) + "...";
			throw new NavigationDeniedException("navigation to " + shown + " denied: " + decision.reason());
		}
	}

}
