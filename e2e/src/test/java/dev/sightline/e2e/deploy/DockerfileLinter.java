package dev.sightline.e2e.deploy;

import java.util.Comparator;
import java.util.List;

/** Runs every {@link DockerfileRule} over a Dockerfile and returns their findings in line order. */
final class DockerfileLinter {

	private DockerfileLinter() {
	}

	static List<DockerfileRule.LintFinding> lint(String text) {
		Dockerfile dockerfile = Dockerfile.parse(text);
		return DockerfileRule.ALL.stream()
			.flatMap((rule) -> rule.check(dockerfile).stream())
			.sorted(Comparator.comparingInt(DockerfileRule.LintFinding::line))
			.toList();
	}

}
