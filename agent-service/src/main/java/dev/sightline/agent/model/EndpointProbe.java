package dev.sightline.agent.model;

/**
 * A cheap live check of a remote model endpoint, shown as health details.
 *
 * @param reachable whether the endpoint answered without a server error
 * @param probe what was asked and what came back, e.g. {@code GET http://.../v1/models answered 200}
 */
public record EndpointProbe(boolean reachable, String probe) {
}
