package dev.sightline.tools.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A {@link LocationCache} in one JSON file meant to be committed next to the tests: entries sorted by page, viewport
 * and instruction, one field per line, so a diff shows exactly which locations changed. Read once, rewritten
 * atomically on each change.
 */
public final class FileLocationCache implements LocationCache {

	private static final int FORMAT_VERSION = 1;

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

	private final Path file;

	private final Map<String, Entry> entries = new TreeMap<>();

	private record Entry(CacheKey key, CachedLocation location) {
	}

	public FileLocationCache(Path file) {
		this.file = file;
		if (Files.exists(file)) {
			load();
		}
	}

	public Path file() {
		return file;
	}

	@Override
	public synchronized Optional<CachedLocation> find(CacheKey key) {
		Entry entry = entries.get(key.id());
		return entry == null ? Optional.empty() : Optional.of(entry.location());
	}

	@Override
	public synchronized void save(CacheKey key, CachedLocation location) {
		entries.put(key.id(), new Entry(key, location));
		write();
	}

	@Override
	public synchronized void evict(CacheKey key) {
		if (entries.remove(key.id()) != null) {
			write();
		}
	}

	private void load() {
		JsonNode root;
		try {
			root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
		}
		catch (IOException e) {
			throw new SightlineException("cannot read the location cache " + file + ": " + e.getMessage(), e);
		}
		int version = root.path("version").asInt(-1);
		if (version != FORMAT_VERSION) {
			throw new SightlineException("location cache " + file + " has format version " + version
					+ "; this library reads version " + FORMAT_VERSION + " (delete the file to start afresh)");
		}
		for (JsonNode node : root.path("entries")) {
			try {
				String[] viewport = node.path("viewport").asText().split("x");
				CacheKey key = new CacheKey(node.path("url").asText(), node.path("instruction").asText(),
						Integer.parseInt(viewport[0]), Integer.parseInt(viewport[1]));
				JsonNode box = node.path("box");
				CachedLocation location = new CachedLocation(node.path("selector").asText(),
						node.path("fingerprint").asText(), new CssBox(box.path(0).asDouble(), box.path(1).asDouble(),
								box.path(2).asDouble(), box.path(3).asDouble()),
						Instant.parse(node.path("savedAt").asText()));
				entries.put(key.id(), new Entry(key, location));
			}
			catch (RuntimeException e) {
				throw new SightlineException("location cache " + file + " has a malformed entry " + node + ": "
						+ e.getMessage(), e);
			}
		}
	}

	private void write() {
		List<Map<String, Object>> list = new ArrayList<>();
		for (Entry entry : entries.values()) {
			Map<String, Object> node = new LinkedHashMap<>();
			node.put("url", entry.key().urlPattern());
			node.put("viewport", entry.key().viewportWidthPx() + "x" + entry.key().viewportHeightPx());
			node.put("instruction", entry.key().instruction());
			node.put("selector", entry.location().selector());
			node.put("fingerprint", entry.location().fingerprint());
			CssBox box = entry.location().box();
			node.put("box", List.of(round(box.xPx()), round(box.yPx()), round(box.widthPx()), round(box.heightPx())));
			node.put("savedAt", entry.location().savedAt().toString());
			list.add(node);
		}
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("version", FORMAT_VERSION);
		root.put("entries", list);
		try {
			Path dir = file.toAbsolutePath().getParent();
			Files.createDirectories(dir);
			Path temporary = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
			Files.writeString(temporary, JSON.writeValueAsString(root).replace("\r\n", "\n") + "\n",
					StandardCharsets.UTF_8);
			Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot write the location cache " + file, e);
		}
	}

	private static double round(double px) {
		return Math.round(px * 10) / 10.0;
	}

}
