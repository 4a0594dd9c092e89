package dev.sightline.tools.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The HTML pages a set is generated from, by name. A page marks each target with
 * {@code data-sl-target="instruction"} and optionally {@code data-sl-type="text|icon"} (default text). Built-in
 * pages cover forms, tables, menus, dialogs and a dense icon-only toolbar; users point at a folder of their own.
 */
public record GeneratorPages(Map<String, String> htmlByName) {

	public static final List<String> BUILT_IN = List.of("form", "table", "menu", "dialog", "toolbar");

	/** Largest page accepted, so a wrong folder does not load a huge file into Chromium. */
	static final long MAX_PAGE_BYTES = 2L * 1024 * 1024;

	public GeneratorPages {
		htmlByName = Collections.unmodifiableMap(new LinkedHashMap<>(htmlByName));
		if (htmlByName.isEmpty()) {
			throw new IllegalArgumentException("no pages to render");
		}
	}

	/** A comma-separated list of built-in names, or a folder of {@code .html} files. */
	public static GeneratorPages resolve(String spec) {
		Path folder = Path.of(spec);
		if (Files.isDirectory(folder)) {
			return fromFolder(folder);
		}
		Map<String, String> pages = new LinkedHashMap<>();
		for (String name : spec.split(",")) {
			String page = name.strip();
			if (!BUILT_IN.contains(page)) {
				throw new IllegalArgumentException("unknown page '" + page + "' (built-in: " + String.join(", ", BUILT_IN)
						+ "; or give a folder of .html files)");
			}
			pages.put(page, builtIn(page));
		}
		return new GeneratorPages(pages);
	}

	static GeneratorPages fromFolder(Path folder) {
		Map<String, String> pages = new LinkedHashMap<>();
		List<Path> files;
		try (Stream<Path> entries = Files.list(folder)) {
			files = new ArrayList<>(entries.filter(p -> p.getFileName().toString().endsWith(".html")).sorted().toList());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list " + folder, e);
		}
		for (Path file : files) {
			try {
				if (Files.size(file) > MAX_PAGE_BYTES) {
					throw new IllegalArgumentException(
							"page " + file + " is larger than " + MAX_PAGE_BYTES + " bytes; pages must be self-contained HTML");
				}
				pages.put(file.getFileName().toString().replaceFirst("\\.html$", ""),
						Files.readString(file, StandardCharsets.UTF_8));
			}
			catch (IOException e) {
				throw new UncheckedIOException("cannot read " + file, e);
			}
		}
		if (pages.isEmpty()) {
			throw new IllegalArgumentException("no .html pages in " + folder);
		}
		return new GeneratorPages(pages);
	}

	private static String builtIn(String name) {
		try (InputStream in = GeneratorPages.class.getResourceAsStream("pages/" + name + ".html")) {
			if (in == null) {
				throw new IllegalStateException("built-in page " + name + " is missing from the classpath");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read built-in page " + name, e);
		}
	}

}
