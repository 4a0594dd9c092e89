package dev.sightline.tools.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jspecify.annotations.Nullable;

import dev.sightline.vision.preprocess.ImageDecoder;
import dev.sightline.vision.preprocess.ImageSize;
import dev.sightline.vision.preprocess.InvalidImageException;

/**
 * Reads a grounding set folder in the ScreenSpot family's layout: annotation files are {@code DIR/annotations/*.json}
 * (ScreenSpot-Pro and sets this package generates) or else {@code DIR/*.json} (ScreenSpot, ScreenSpot-v2), each a JSON
 * list of {@code {"img_filename", "instruction", "bbox", ...}}; images are looked up under {@code DIR/images},
 * {@code DIR/screenspot_imgs}, {@code DIR} and the annotation file's folder. Platform comes from {@code platform},
 * else the file name ({@code screenspot_mobile_v2.json} is mobile), else {@code data_source}.
 */
public final class GroundingSetReader {

	/** Reads image headers only. */
	private static final ImageDecoder HEADERS = new ImageDecoder();

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final List<String> IMAGE_FOLDERS = List.of("images", "screenspot_imgs", "imgs", ".");

	private final BoxLayout layout;

	public GroundingSetReader(BoxLayout layout) {
		this.layout = layout;
	}

	public List<GroundingItem> read(Path dir) {
		if (!Files.isDirectory(dir)) {
			throw new InvalidGroundingSetException("grounding set folder " + dir + " does not exist");
		}
		List<Path> files = annotationFiles(dir);
		if (files.isEmpty()) {
			throw new InvalidGroundingSetException(
					"no annotation files in " + dir + " (expected annotations/*.json or *.json)");
		}
		List<GroundingItem> items = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (Path file : files) {
			for (GroundingItem item : readFile(dir, file)) {
				if (!ids.add(item.id())) {
					throw new InvalidGroundingSetException("item id '" + item.id() + "' appears twice (in " + file + ")");
				}
				items.add(item);
			}
		}
		if (items.isEmpty()) {
			throw new InvalidGroundingSetException("the annotation files in " + dir + " hold no items");
		}
		return items;
	}

	private static List<Path> annotationFiles(Path dir) {
		Path annotations = dir.resolve("annotations");
		Path folder = Files.isDirectory(annotations) ? annotations : dir;
		try (Stream<Path> entries = Files.list(folder)) {
			return entries.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
				.filter(Files::isRegularFile)
				.sorted()
				.toList();
		}
		catch (IOException e) {
			throw new InvalidGroundingSetException("cannot list " + folder + ": " + e.getMessage(), e);
		}
	}

	private List<GroundingItem> readFile(Path dir, Path file) {
		JsonNode root;
		try {
			root = JSON.readTree(file.toFile());
		}
		catch (IOException e) {
			throw new InvalidGroundingSetException("annotation file " + file + " is not JSON: " + e.getMessage(), e);
		}
		if (root == null || !root.isArray()) {
			throw new InvalidGroundingSetException("annotation file " + file + " must hold a JSON list of items");
		}
		String stem = file.getFileName().toString().replaceFirst("(?i)\\.json$", "");
		List<GroundingItem> items = new ArrayList<>();
		for (int i = 0; i < root.size(); i++) {
			String where = file.getFileName() + " item " + i;
			items.add(item(dir, file, stem, i, root.get(i), where));
		}
		return items;
	}

	private GroundingItem item(Path dir, Path file, String stem, int index, JsonNode node, String where) {
		String imageName = text(node, "img_filename", where);
		String instruction = text(node, "instruction", where);
		JsonNode bbox = node.get("bbox");
		if (bbox == null || !bbox.isArray() || bbox.size() != 4) {
			throw new InvalidGroundingSetException(where + ": bbox must be a list of 4 numbers, got " + bbox);
		}
		double[] v = new double[4];
		for (int k = 0; k < 4; k++) {
			if (!bbox.get(k).isNumber()) {
				throw new InvalidGroundingSetException(where + ": bbox must be a list of 4 numbers, got " + bbox);
			}
			v[k] = bbox.get(k).asDouble();
		}
		TargetBox box;
		try {
			box = layoutOf(node) == BoxLayout.XYXY ? new TargetBox(v[0], v[1], v[2], v[3])
					: TargetBox.ofXywh(v[0], v[1], v[2], v[3]);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidGroundingSetException(where + ": " + e.getMessage(), e);
		}
		Path image = resolveImage(dir, file, imageName, where);
		ImageSize size = sizeOf(image, where);
		String id = node.hasNonNull("id") ? node.get("id").asText() : stem + "#" + index;
		String elementType = firstText(node, "ui_type", "data_type");
		String setting = firstText(node, "setting");
		return new GroundingItem(id, image, size, instruction, box, platformOf(node, stem),
				elementType == null ? "unknown" : elementType, setting == null ? size.toString() : setting);
	}

	private BoxLayout layoutOf(JsonNode node) {
		if (layout != BoxLayout.AUTO) {
			return layout;
		}
		// ScreenSpot-Pro's items carry img_size/ui_type; ScreenSpot v1/v2 items carry data_type instead.
		return node.has("img_size") || node.has("ui_type") ? BoxLayout.XYXY : BoxLayout.XYWH;
	}

	private static String platformOf(JsonNode node, String stem) {
		String platform = firstText(node, "platform");
		if (platform != null) {
			return platform;
		}
		String name = stem.toLowerCase(Locale.ROOT);
		for (String known : List.of("mobile", "desktop", "web")) {
			if (name.contains(known)) {
				return known;
			}
		}
		String source = firstText(node, "data_source");
		return source == null ? "unknown" : source;
	}

	private static Path resolveImage(Path dir, Path file, String imageName, String where) {
		Path name = Path.of(imageName);
		if (name.isAbsolute() || imageName.contains("..")) {
			throw new InvalidGroundingSetException(where + ": img_filename must be relative to the set folder, got "
					+ imageName);
		}
		for (String folder : IMAGE_FOLDERS) {
			Path candidate = dir.resolve(folder).resolve(name).normalize();
			if (Files.isRegularFile(candidate)) {
				return candidate;
			}
		}
		Path besideFile = file.resolveSibling(name);
		if (Files.isRegularFile(besideFile)) {
			return besideFile;
		}
		throw new InvalidGroundingSetException(where + ": image " + imageName + " not found under " + dir
				+ " (looked in " + String.join(", ", IMAGE_FOLDERS) + ")");
	}

	static ImageSize sizeOf(Path image, String where) {
		try {
			return HEADERS.probe(Files.readAllBytes(image));
		}
		catch (InvalidImageException e) {
			throw new InvalidGroundingSetException(where + ": " + image + " is not a usable image: " + e.getMessage(), e);
		}
		catch (IOException e) {
			throw new InvalidGroundingSetException(where + ": cannot read " + image + ": " + e.getMessage(), e);
		}
	}

	private static String text(JsonNode node, String field, String where) {
		String value = firstText(node, field);
		if (value == null || value.isBlank()) {
			throw new InvalidGroundingSetException(where + ": field '" + field + "' is missing or empty");
		}
		return value;
	}

	private static @Nullable String firstText(JsonNode node, String... fields) {
		for (String field : fields) {
			JsonNode value = node.get(field);
			if (value != null && value.isValueNode() && !value.isNull()) {
				return value.asText();
			}
		}
		return null;
	}

}
