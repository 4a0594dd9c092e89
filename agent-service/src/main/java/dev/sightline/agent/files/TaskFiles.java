package dev.sightline.agent.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sightline.agent.task.FileInput;
import dev.sightline.agent.loop.TaskFileHandler;
import dev.sightline.agent.task.TaskFile;
import dev.sightline.agent.task.TaskStore;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskException;
import dev.sightline.tools.execute.Download;
import dev.sightline.tools.execute.UploadFile;

/**
 * A task's files: the inputs are checked and stored when it is submitted and written out for the browser when it
 * starts; its downloads are kept as its output files as they arrive.
 */
public final class TaskFiles implements TaskFileHandler {

	private static final Logger log = LoggerFactory.getLogger(TaskFiles.class);

	static final String DEFAULT_TYPE = "application/octet-stream";

	/** An input file, decoded and checked. */
	public record Incoming(String name, String contentType, byte[] content) {
	}

	private final TaskStore store;

	private final FileSettings settings;

	/** Where {@link #uploadsFor} wrote each running task's inputs, removed by {@link #release}. */
	private final Map<String, Path> written = new ConcurrentHashMap<>();

	public TaskFiles(TaskStore store, FileSettings settings) {
		this.store = store;
		this.settings = settings;
	}

	public FileSettings settings() {
		return settings;
	}

	/**
	 * Decodes and checks a submit's files: 400 for a name that is not a plain file name, a repeated name or content
	 * that is not Base64; 413 past the count, per-file or total limit, naming the limit.
	 */
	public List<Incoming> check(@Nullable List<FileInput> files) {
		if (files == null || files.isEmpty()) {
			return List.of();
		}
		if (files.size() > settings.maxInputFiles()) {
			throw new TaskException.TooLarge(files.size() + " files attached, more than the limit of "
					+ settings.maxInputFiles() + " (sightline.files.max-input-files)");
		}
		List<Incoming> checked = new ArrayList<>();
		Set<String> names = new HashSet<>();
		long total = 0;
		for (FileInput file : files) {
			String name = checkName(file.name());
			if (!names.add(name)) {
				throw new TaskException.Invalid("file name '" + name + "' is attached twice");
			}
			// Base64 is 4 characters per 3 bytes: a body past the limit is refused before it is decoded.
			if ((long) file.contentBase64().length() / 4 * 3 > settings.maxInputFileBytes() + 3) {
				throw tooLarge(name, (long) file.contentBase64().length() / 4 * 3);
			}
			byte[] content;
			try {
				content = Base64.getDecoder().decode(file.contentBase64());
			}
			catch (IllegalArgumentException e) {
				throw new TaskException.Invalid("files[" + name + "].contentBase64 is not Base64: " + e.getMessage());
			}
			if (content.length > settings.maxInputFileBytes()) {
				throw tooLarge(name, content.length);
			}
			total += content.length;
			if (total > settings.maxInputTotalBytes()) {
				throw new TaskException.TooLarge("the attached files total more than the limit of "
						+ settings.maxInputTotalBytes() + " bytes (sightline.files.max-input-total-bytes)");
			}
			String type = file.contentType() == null || file.contentType().isBlank() ? guessType(name)
					: file.contentType();
			checked.add(new Incoming(name, type, content));
		}
		return List.copyOf(checked);
	}

	private TaskException.TooLarge tooLarge(String name, long bytes) {
		return new TaskException.TooLarge("file '" + name + "' has " + bytes
				+ " bytes, more than the limit of " + settings.maxInputFileBytes()
				+ " bytes (sightline.files.max-input-file-bytes)");
	}

	/** A name the page may see and a path may be built from: no directories, no control characters. */
	static String checkName(String name) {
		if (name.isBlank() || name.length() > 255 || name.contains("/") || name.contains("\\") || name.equals(".")
				|| name.equals("..") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || name.endsWith(".partial")) {
			throw new TaskException.Invalid("file name '" + name.replaceAll("\\p{Cntrl}", "?")
					+ "' must be a plain file name: 1 to 255 characters, no '/', '\\', control characters, '.' or '..'");
		}
		return name;
	}

	/** Stores checked inputs with the task (before it is queued, so the replica that runs it finds them). */
	public void storeInputs(String taskId, List<Incoming> files) {
		for (Incoming file : files) {
			store.saveFile(taskId, TaskFile.Kind.INPUT,
					new TaskFile(file.name(), file.contentType(), file.content().length, sha256(file.content())),
					file.content());
		}
	}

	/** Undoes {@link #storeInputs} for a submit refused afterwards. */
	public void forget(String taskId) {
		store.deleteFiles(taskId);
	}

	public List<TaskFile> inputs(String taskId) {
		return store.files(taskId, TaskFile.Kind.INPUT);
	}

	public List<TaskFile> outputs(String taskId) {
		return store.files(taskId, TaskFile.Kind.OUTPUT);
	}

	public Optional<TaskFile> output(String taskId, String name) {
		return outputs(taskId).stream().filter(file -> file.name().equals(name)).findFirst();
	}

	public Optional<byte[]> outputContent(String taskId, String name) {
		return store.fileContent(taskId, TaskFile.Kind.OUTPUT, name);
	}

	@Override
	public List<UploadFile> uploadsFor(Task task, Path dir) {
		List<TaskFile> inputs = inputs(task.id());
		if (inputs.isEmpty()) {
			return List.of();
		}
		List<UploadFile> uploads = new ArrayList<>();
		try {
			Files.createDirectories(dir);
			written.put(task.id(), dir);
			for (TaskFile file : inputs) {
				byte[] content = store.fileContent(task.id(), TaskFile.Kind.INPUT, file.name())
					.orElseThrow(() -> new IllegalStateException(
							"input file " + file.name() + " of task " + task.id() + " is listed but gone"));
				Path path = dir.resolve(checkName(file.name()));
				Files.write(path, content);
				uploads.add(new UploadFile(file.name(), file.contentType(), path, content.length));
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write the input files of task " + task.id() + " to " + dir, e);
		}
		return List.copyOf(uploads);
	}

	@Override
	public void keep(String taskId, List<Download> downloads) {
		for (Download download : downloads) {
			if (download.path() == null) {
				log.info("task {}: download {} not kept: {}", taskId, download.suggestedFilename(), download.failure());
				continue;
			}
			try {
				long size = Files.size(download.path());
				if (size > settings.maxOutputFileBytes()) {
					log.warn("task {}: download {} has {} bytes, more than sightline.files.max-output-file-bytes ({}); "
							+ "not kept", taskId, download.suggestedFilename(), size, settings.maxOutputFileBytes());
					continue;
				}
				byte[] content = Files.readAllBytes(download.path());
				String name = uniqueName(taskId, safeName(download.suggestedFilename()));
				store.saveFile(taskId, TaskFile.Kind.OUTPUT,
						new TaskFile(name, guessType(name), content.length, sha256(content)), content);
			}
			catch (IOException | RuntimeException e) {
				// A download that cannot be kept must not end the task: it is logged and the task goes on.
				log.warn("task {}: download {} not kept: {}", taskId, download.suggestedFilename(), e.toString());
			}
			finally {
				// The kept copy is the task's; the browser's working copy would only fill the disk.
				deleteQuietly(download.path());
			}
		}
	}

	@Override
	public void release(String taskId) {
		Path dir = written.remove(taskId);
		if (dir == null) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(TaskFiles::deleteQuietly);
		}
		catch (IOException e) {
			log.warn("task {}: cannot remove its input files under {}: {}", taskId, dir, e.toString());
		}
	}

	private static void deleteQuietly(Path path) {
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException e) {
			log.warn("cannot delete {}: {}", path, e.toString());
		}
	}

	/** The server's suggested name as a plain file name: what a path or a header could misread becomes '_'. */
	static String safeName(String suggested) {
		String name = suggested.replaceAll("[/\\\\\\p{Cntrl}\"]", "_").strip();
		if (name.length() > 200) {
			name = name.substring(name.length() - 200);
		}
		if (name.isEmpty() || name.equals(".") || name.equals("..") || name.endsWith(".partial")) {
			name = "download";
		}
		return name;
	}

	/** {@code report.csv}, then {@code report (2).csv}: a second download of the same name keeps the first. */
	private String uniqueName(String taskId, String name) {
		Set<String> taken = new HashSet<>(outputs(taskId).stream().map(TaskFile::name).toList());
		if (!taken.contains(name)) {
			return name;
		}
		int dot = name.lastIndexOf('.');
		String stem = dot > 0 ? name.substring(0, dot) : name;
		String ext = dot > 0 ? name.substring(dot) : "";
		for (int n = 2;; n++) {
			String candidate = stem + " (" + n + ")" + ext;
			if (!taken.contains(candidate)) {
				return candidate;
			}
		}
	}

	static String guessType(String name) {
		String type = URLConnection.guessContentTypeFromName(name);
		return type == null ? DEFAULT_TYPE : type;
	}

	public static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JDK has SHA-256", e);
		}
	}

}
