package dev.sightline.e2e.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of the README's Configuration table and the environment variable names they bind from, by Spring's
 * relaxed binding: {@code sightline.model.base-url} binds from {@code SIGHTLINE_MODEL_BASEURL} and, in the legacy
 * form Spring also accepts, {@code SIGHTLINE_MODEL_BASE_URL}.
 */
record ReadmeConfiguration(Set<String> keys) {

	private static final Pattern ROW_KEY = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");

	static ReadmeConfiguration read(Path readme) throws IOException {
		Set<String> keys = new LinkedHashSet<>();
		boolean inSection = false;
		for (String line : Files.readAllLines(readme)) {
			if (line.startsWith("## ")) {
				inSection = line.strip().equals("## Configuration");
				continue;
			}
			Matcher matcher = ROW_KEY.matcher(line);
			if (inSection && matcher.find()) {
				keys.add(matcher.group(1));
			}
		}
		return new ReadmeConfiguration(Set.copyOf(keys));
	}

	/** Environment variable names that bind to a documented key (or are documented as such). */
	Set<String> environmentNames() {
		Set<String> names = new LinkedHashSet<>();
		for (String key : this.keys) {
			if (key.equals(key.toUpperCase(Locale.ROOT))) {
				names.add(key);
				continue;
			}
			String upper = key.toUpperCase(Locale.ROOT).replace('.', '_');
			names.add(upper.replace("-", ""));
			names.add(upper.replace('-', '_'));
		}
		return names;
	}

	boolean documents(String environmentName) {
		return environmentNames().contains(environmentName);
	}

}
