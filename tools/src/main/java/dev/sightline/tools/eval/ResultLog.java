package dev.sightline.tools.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code results.jsonl}: one {@link ItemResult} per line, appended and flushed as each run finishes, so a run that is
 * stopped resumes where it was. Runs that failed with {@link Outcome#ERROR} are done again, the later line
 * replacing the earlier; a torn last line (the process died mid-write) is dropped and that run done again.
 */
final class ResultLog implements AutoCloseable {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Path file;

	private final Map<String, ItemResult> done;

	private final BufferedWriter writer;

	private ResultLog(Path file, Map<String, ItemResult> done, BufferedWriter writer) {
		this.file = file;
		this.done = done;
		this.writer = writer;
	}

	static ResultLog open(Path file) throws IOException {
		Map<String, ItemResult> done = new LinkedHashMap<>();
		if (Files.exists(file)) {
			List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			for (String line : lines) {
				if (line.isBlank()) {
					continue;
				}
				try {
					ItemResult result = JSON.readValue(line, ItemResult.class);
					done.put(result.key(), result);
				}
				catch (JsonProcessingException e) {
					// A torn line from an interrupted run: that item simply runs again.
				}
			}
			// Rewrite without torn lines so appends start on a clean line.
			List<String> clean = new ArrayList<>();
			for (ItemResult result : done.values()) {
				clean.add(JSON.writeValueAsString(result));
			}
			Files.write(file, clean, StandardCharsets.UTF_8);
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
		return new ResultLog(file, done, writer);
	}

	Path file() {
		return file;
	}

	/** Whether the run is finished; a run that ended in {@link Outcome#ERROR} (endpoint down) runs again. */
	synchronized boolean finished(String key) {
		ItemResult result = done.get(key);
		return result != null && result.outcome() != Outcome.ERROR;
	}

	synchronized void append(ItemResult result) throws IOException {
		writer.write(JSON.writeValueAsString(result));
		writer.write('\n');
		writer.flush();
		done.put(result.key(), result);
	}

	/** Every recorded run, in the order first recorded. */
	synchronized List<ItemResult> results() {
		return List.copyOf(done.values());
	}

	@Override
	public synchronized void close() throws IOException {
		writer.close();
	}

}
