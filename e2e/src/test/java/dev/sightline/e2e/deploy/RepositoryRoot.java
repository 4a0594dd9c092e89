package dev.sightline.e2e.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository checkout the tests run in, so deployment files are read from the working tree. */
public final class RepositoryRoot {

	private RepositoryRoot() {
	}

	public static Path path() {
		Path dir = Path.of("").toAbsolutePath();
		// Maven runs module tests from the module folder; IDEs often from the root. Walk up until the root markers.
		for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
			if (Files.isRegularFile(candidate.resolve("mvnw")) && Files.isRegularFile(candidate.resolve("docker-compose.yml"))) {
				return candidate;
			}
		}
		throw new IllegalStateException("no repository root (a folder with mvnw and docker-compose.yml) above " + dir);
	}

	static Path resolve(String relative) {
		return path().resolve(relative);
	}

}
