package dev.sightline.vision.weights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The safetensors files of a checkpoint directory (spec §3.1): one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json}. Headers are read up front; tensors stay on disk until a loader streams them.
 * Names are canonical ({@link TensorNames}) whichever layout the files use.
 */
public final class Checkpoint implements AutoCloseable {

	static final String INDEX = "model.safetensors.index.json";

	static final String SINGLE = "model.safetensors";

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Where one tensor lives. */
	public record Entry(SafeTensorsFile file, SafeTensorsFile.TensorInfo info) {
	}

	private final Path directory;

	private final List<SafeTensorsFile> files;

	private final Map<String, Entry> tensors;

	private Checkpoint(Path directory, List<SafeTensorsFile> files, Map<String, Entry> tensors) {
		this.directory = directory;
		this.files = files;
		this.tensors = tensors;
	}

	public static Checkpoint open(Path directory) {
		if (!Files.isDirectory(directory)) {
			throw new CheckpointException("checkpoint directory " + directory + " does not exist");
		}
		List<Path> shardPaths = shardPaths(directory);
		List<SafeTensorsFile> files = new ArrayList<>();
		try {
			Map<String, Entry> tensors = new LinkedHashMap<>();
			List<String> duplicates = new ArrayList<>();
			for (Path shard : shardPaths) {
				SafeTensorsFile file = SafeTensorsFile.open(shard);
				files.add(file);
				for (SafeTensorsFile.TensorInfo info : file.tensors().values()) {
					String name = TensorNames.canonical(info.name());
					if (tensors.putIfAbsent(name, new Entry(file, info)) != null) {
						duplicates.add(info.name() + " (in " + shard.getFileName() + ")");
					}
				}
			}
			if (!duplicates.isEmpty()) {
				throw new CheckpointException("checkpoint " + directory + " holds tensors twice (perhaps in both key "
						+ "layouts): " + abbreviate(duplicates));
			}
			checkIndex(directory, tensors);
			return new Checkpoint(directory, List.copyOf(files), Collections.unmodifiableMap(tensors));
		}
		catch (RuntimeException e) {
			files.forEach(SafeTensorsFile::close);
			throw e;
		}
	}

	public Path directory() {
		return directory;
	}

	/** Canonical name → location, in file order. */
	public Map<String, Entry> tensors() {
		return tensors;
	}

	public Entry entry(String canonicalName) {
		Entry entry = tensors.get(canonicalName);
		if (entry == null) {
			throw new CheckpointException(canonicalName + " not found in checkpoint " + directory);
		}
		return entry;
	}

	/** Bytes of tensor data on disk. */
	public long dataBytes() {
		return tensors.values().stream().mapToLong(e -> e.info().byteLength()).sum();
	}

	@Override
	public void close() {
		files.forEach(SafeTensorsFile::close);
	}

	private static List<Path> shardPaths(Path directory) {
		Path index = directory.resolve(INDEX);
		if (Files.exists(index)) {
			JsonNode weightMap;
			try {
				weightMap = JSON.readTree(Files.readString(index)).get("weight_map");
			}
			catch (IOException e) {
				throw new CheckpointException("cannot read " + index + ": " + e.getMessage(), e);
			}
			if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
				throw new CheckpointException(index + " has no weight_map");
			}
			TreeSet<String> shards = new TreeSet<>();
			weightMap.forEach(file -> shards.add(file.asText()));
			List<String> missing = shards.stream().filter(s -> !Files.isRegularFile(directory.resolve(s))).toList();
			if (!missing.isEmpty()) {
				throw new CheckpointException("checkpoint " + directory + " is missing shard files named by " + INDEX
						+ ": " + missing);
			}
			return shards.stream().map(directory::resolve).toList();
		}
		if (Files.isRegularFile(directory.resolve(SINGLE))) {
			return List.of(directory.resolve(SINGLE));
		}
		try (Stream<Path> listing = Files.list(directory)) {
			List<Path> found = listing.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
			if (found.isEmpty()) {
				throw new CheckpointException("checkpoint directory " + directory + " has no " + SINGLE + ", no "
						+ INDEX + " and no other .safetensors file");
			}
			return found;
		}
		catch (IOException e) {
			throw new CheckpointException("cannot list " + directory + ": " + e.getMessage(), e);
		}
	}

	/** The index and the shard headers must agree, or the loader would silently take the wrong file. */
	private static void checkIndex(Path directory, Map<String, Entry> tensors) {
		Path index = directory.resolve(INDEX);
		if (!Files.exists(index)) {
			return;
		}
		JsonNode weightMap;
		try {
			weightMap = JSON.readTree(Files.readString(index)).get("weight_map");
		}
		catch (IOException e) {
			throw new CheckpointException("cannot read " + index + ": " + e.getMessage(), e);
		}
		List<String> wrong = new ArrayList<>();
		for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> mapping = it.next();
			Entry entry = tensors.get(TensorNames.canonical(mapping.getKey()));
			if (entry == null) {
				wrong.add(mapping.getKey() + " is not in " + mapping.getValue().asText());
			}
			else if (!entry.file().path().getFileName().toString().equals(mapping.getValue().asText())) {
				wrong.add(mapping.getKey() + " is in " + entry.file().path().getFileName() + ", not "
						+ mapping.getValue().asText());
			}
		}
		if (!wrong.isEmpty()) {
			throw new CheckpointException(INDEX + " of " + directory + " does not match its shards: " + abbreviate(wrong));
		}
	}

	static String abbreviate(List<String> items) {
		int shown = Math.min(items.size(), 20);
		String list = String.join(", ", items.subList(0, shown));
		return items.size() > shown ? list + " and " + (items.size() - shown) + " more" : list;
	}

}
