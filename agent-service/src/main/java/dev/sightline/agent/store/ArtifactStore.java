package dev.sightline.agent.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.sightline.agent.task.TaskStore;

/** Screenshots as PNG files under {@code <store dir>/artifacts/<task id>/<step>.png}. */
public final class ArtifactStore {

	private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

	private final Path root;

	public ArtifactStore(Path root) {
		this.root = root;
		try {
			Files.createDirectories(root);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot create the artifact directory " + root, e);
		}
	}

	public void writeScreenshot(String taskId, int n, byte[] png) {
		Path file = screenshotFile(taskId, n);
		try {
			Files.createDirectories(file.getParent());
			// Write then rename, so a reader never sees half a PNG.
			Path partial = file.resolveSibling(n + ".png.partial");
			Files.write(partial, png);
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write screenshot " + file, e);
		}
	}

	public Optional<byte[]> readScreenshot(String taskId, int n) {
		try {
			return Optional.of(Files.readAllBytes(screenshotFile(taskId, n)));
		}
		catch (NoSuchFileException e) {
			return Optional.empty();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read screenshot " + n + " of task " + taskId, e);
		}
	}

	/** A frame sampled between steps: {@code <task>/frames/<epoch ms>-<step>.png}. */
	public void writeFrame(String taskId, TaskStore.Frame frame, byte[] png) {
		Path file = frameFile(taskId, frame);
		try {
			Files.createDirectories(file.getParent());
			Path partial = file.resolveSibling(file.getFileName() + ".partial");
			Files.write(partial, png);
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write frame " + file, e);
		}
	}

	public List<TaskStore.Frame> frames(String taskId) {
		Path dir = root.resolve(checked(taskId)).resolve("frames");
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(dir)) {
			return files.map(path -> FRAME_NAME.matcher(path.getFileName().toString()))
				.filter(java.util.regex.Matcher::matches)
				.map(m -> new TaskStore.Frame(Integer.parseInt(m.group(2)),
						java.time.Instant.ofEpochMilli(Long.parseLong(m.group(1)))))
				.sorted(Comparator.comparing(TaskStore.Frame::capturedAt))
				.toList();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list the frames of task " + taskId, e);
		}
	}

	public Optional<byte[]> readFrame(String taskId, TaskStore.Frame frame) {
		try {
			return Optional.of(Files.readAllBytes(frameFile(taskId, frame)));
		}
		catch (NoSuchFileException e) {
			return Optional.empty();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read a frame of task " + taskId, e);
		}
	}

	private static final Pattern FRAME_NAME = Pattern.compile("([0-9]{1,19})-([0-9]{1,6})\\.png");

	private Path frameFile(String taskId, TaskStore.Frame frame) {
		return root.resolve(checked(taskId))
			.resolve("frames")
			.resolve(frame.capturedAt().toEpochMilli() + "-" + frame.step() + ".png");
	}

	public void deleteTask(String taskId) {
		Path dir = root.resolve(checked(taskId));
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot delete the artifacts of task " + taskId, e);
		}
	}

	private Path screenshotFile(String taskId, int n) {
		return root.resolve(checked(taskId)).resolve(n + ".png");
	}

	private static String checked(String taskId) {
		// Ids come from the store, but a path must never be built from anything else.
		if (!TASK_ID.matcher(taskId).matches()) {
			throw new IllegalArgumentException("task id must match " + TASK_ID + ", got '" + taskId + "'");
		}
		return taskId;
	}

}
