package dev.sightline.agent.result;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.sightline.agent.task.StoredEvent;
import dev.sightline.agent.task.TaskStore;

/**
 * A task's structured result, read back from its {@code result} event: kept with the task's other events in either
 * store, replayed with them and deleted with the task by retention.
 */
public class TaskResults {

	private final TaskStore store;

	private final JsonMapper json;

	public TaskResults(TaskStore store, JsonMapper json) {
		this.store = store;
		this.json = json;
	}

	/** The result as indented JSON for the dashboard's pages, or null; the page's controller checked the tenant. */
	public @Nullable String pretty(String taskId) {
		return of(taskId).map(result -> json.writerWithDefaultPrettyPrinter().writeValueAsString(result)).orElse(null);
	}

	/** The result of a task the caller may see (the caller checks the tenant). */
	public Optional<JsonNode> of(String taskId) {
		List<StoredEvent> events = store.events(taskId, 0);
		for (int i = events.size() - 1; i >= 0; i--) {
			StoredEvent event = events.get(i);
			if (event.type().equals("result")) {
				return Optional.ofNullable(json.readTree(event.dataJson()).get("result"));
			}
		}
		return Optional.empty();
	}

}
