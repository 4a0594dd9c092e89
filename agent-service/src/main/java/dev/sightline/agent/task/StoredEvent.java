package dev.sightline.agent.task;

/**
 * An event as the store keeps it.
 *
 * @param id increasing across the store: the SSE id a client sends back as {@code Last-Event-ID}
 * @param dataJson the event record as JSON
 */
public record StoredEvent(long id, String taskId, String type, String dataJson) {
}
