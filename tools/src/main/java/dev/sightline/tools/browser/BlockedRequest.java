package dev.sightline.tools.browser;

/** A request or navigation the {@link NavigationPolicy} stopped, with the rule that decided. */
public record BlockedRequest(String url, String resourceType, String reason) {
}
