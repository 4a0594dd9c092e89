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

import dev.sightline.agent.task.TaskFile;
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

	/**
	 * A task file: {@code <task>/<kind dir>/<name>}, with its description in {@code <task>/<kind dir>.meta/<name>}
	 * (content type, size, SHA-256 on three lines), written after the content so a listed file is always whole.
	 */
	public void writeFile(String taskId, TaskFile.Kind kind, TaskFile file, byte[] content) {
		Path path = fileDir(taskId, kind).resolve(plain(file.name()));
		Path meta = metaDir(taskId, kind).resolve(plain(file.name()));
		try {
			Files.createDirectories(path.getParent());
			Files.createDirectories(meta.getParent());
			Path partial = path.resolveSibling(file.name() + ".partial");
			Files.write(partial, content);
			Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			Path metaPartial = meta.resolveSibling(file.name() + ".partial");
			Files.writeString(metaPartial, file.contentType() + "\n" + file.sizeBytes() + "\n" + file.sha256() + "\n");
			Files.move(metaPartial, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write file " + path, e);
		}
	}

	public List<TaskFile> files(String taskId, TaskFile.Kind kind) {
		Path dir = metaDir(taskId, kind);
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(dir)) {
			List<TaskFile> found = new java.util.ArrayList<>();
			for (Path meta : files.filter(path -> !path.getFileName().toString().endsWith(".partial")).toList()) {
				List<String> lines = Files.readAllLines(meta);
				found.add(new TaskFile(meta.getFileName().toString(), lines.get(0), Long.parseLong(lines.get(1)),
						lines.get(2)));
			}
			found.sort(Comparator.comparing(TaskFile::name));
			return found;
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list the files of task " + taskId, e);
		}
	}

	public Optional<byte[]> readFile(String taskId, TaskFile.Kind kind, String name) {
		if (!Files.exists(metaDir(taskId, kind).resolve(plain(name)))) {
			return Optional.empty();
		}
		try {
			return Optional.of(Files.readAllBytes(fileDir(taskId, kind).resolve(plain(name))));
		}
		catch (NoSuchFileException e) {
			return Optional.empty();
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read file " + name + " of task " + taskId, e);
		}
	}

	private Path fileDir(String taskId, TaskFile.Kind kind) {
		return root.resolve(checked(taskId)).resolve(kind.dir());
	}

	private Path metaDir(String taskId, TaskFile.Kind kind) {
		return root.resolve(checked(taskId)).resolve(kind.dir() + ".meta");
	}

	private static String plain(String name) {
		// Names are checked where files come in; a path must still never be built from anything else.
		if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
				|| name.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("a task file's name must be a plain file name, got '" + name + "'");
		}
		return name;
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
