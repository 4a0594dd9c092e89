package dev.sightline.e2e.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hadolint-equivalent rules that matter for Sightline's images, each checking one thing. Rule ids name the
 * hadolint rule they mirror where one exists (DL3007 latest tag, DL3006 untagged image, DL3009 apt lists,
 * DL3002 last user root); the others are ours (SL...).
 */
sealed interface DockerfileRule {

	/** Every rule, in report order. */
	List<DockerfileRule> ALL = List.of(new PinnedBaseImages(), new NonRootUser(), new NoSecretsInEnvOrArg(),
			new HealthcheckPresent(), new AptListsCleaned());

	String id();

	List<LintFinding> check(Dockerfile dockerfile);

	/** A rule violation at a line of the Dockerfile. */
	record LintFinding(String rule, int line, String message) {

		@Override
		public String toString() {
			return this.rule + " line " + this.line + ": " + this.message;
		}

	}

	/** Base images have an exact version tag (or a digest), never {@code latest} or no tag at all. */
	record PinnedBaseImages() implements DockerfileRule {

		// A tag is "exact" when it carries a version number with at least a minor part, e.g. 21.0.8_9-jre, 13.1-slim.
		private static final Pattern EXACT_TAG = Pattern.compile(".*\\d+\\.\\d+.*");

		@Override
		public String id() {
			return "DL3007/DL3006";
		}

		@Override
		public List<LintFinding> check(Dockerfile dockerfile) {
			List<LintFinding> findings = new ArrayList<>();
			List<String> stageNames = new ArrayList<>();
			for (Dockerfile.Stage stage : dockerfile.stages()) {
				String image = stage.image();
				int line = stage.from().line();
				if (image.equals("scratch") || stageNames.contains(image)) {
					// Building on an earlier stage or on scratch pulls nothing.
				}
				else if (image.contains("@sha256:")) {
					// A digest is the strongest pin.
				}
				else if (image.contains("$")) {
					findings.add(new LintFinding(id(), line, "base image '" + image
							+ "' uses a variable without a default in a global ARG"));
				}
				else {
					int slash = image.lastIndexOf('/');
					int colon = image.indexOf(':', slash + 1);
					String tag = colon < 0 ? "" : image.substring(colon + 1);
					if (tag.isEmpty()) {
						findings.add(new LintFinding(id(), line, "base image '" + image + "' has no tag (means latest)"));
					}
					else if (tag.equals("latest") || !EXACT_TAG.matcher(tag).matches()) {
						findings.add(new LintFinding(id(), line, "base image '" + image
								+ "' is not pinned to an exact version tag (like 21.0.8_9-jre) or a digest"));
					}
				}
				if (!stage.name().isEmpty()) {
					stageNames.add(stage.name());
				}
			}
			return findings;
		}

	}

	/** The final stage switches to a non-root user, and it is the last USER instruction. */
	record NonRootUser() implements DockerfileRule {

		private static final Set<String> ROOT = Set.of("root", "0", "root:root", "0:0");

		@Override
		public String id() {
			return "DL3002";
		}

		@Override
		public List<LintFinding> check(Dockerfile dockerfile) {
			List<Dockerfile.Stage> stages = dockerfile.stages();
			if (stages.isEmpty()) {
				return List.of(new LintFinding(id(), 1, "no FROM instruction"));
			}
			Dockerfile.Stage last = stages.get(stages.size() - 1);
			List<Dockerfile.Instruction> users = last.instructions()
				.stream()
				.filter((instruction) -> instruction.keyword().equals("USER"))
				.toList();
			if (users.isEmpty()) {
				return List.of(new LintFinding(id(), last.from().line(), "final stage never sets USER: the container runs as root"));
			}
			Dockerfile.Instruction user = users.get(users.size() - 1);
			String name = user.arguments().strip().toLowerCase(Locale.ROOT);
			if (ROOT.contains(name) || name.startsWith("root:") || name.startsWith("0:")) {
				return List.of(new LintFinding(id(), user.line(), "last USER is root ('" + user.arguments() + "')"));
			}
			return List.of();
		}

	}

	/** No secret-looking names in ENV or ARG: their values stay in the image history for anyone who pulls it. */
	record NoSecretsInEnvOrArg() implements DockerfileRule {

		private static final Pattern SECRET_NAME = Pattern
			.compile("(?i).*(password|passwd|secret|token|api_?key|apikeys?|private_?key|credentials?).*");

		private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]*)=");

		@Override
		public String id() {
			return "SL001";
		}

		@Override
		public List<LintFinding> check(Dockerfile dockerfile) {
			List<LintFinding> findings = new ArrayList<>();
			for (Dockerfile.Instruction instruction : dockerfile.instructions()) {
				for (String name : declaredNames(instruction)) {
					if (SECRET_NAME.matcher(name).matches()) {
						findings.add(new LintFinding(id(), instruction.line(), instruction.keyword() + " " + name
								+ " looks like a secret: pass it at run time (env file, orchestrator Secret) or as a build secret mount"));
					}
				}
			}
			return findings;
		}

		private static List<String> declaredNames(Dockerfile.Instruction instruction) {
			String arguments = instruction.arguments();
			return switch (instruction.keyword()) {
				case "ARG" -> List.of(arguments.split("=", 2)[0].strip());
				case "ENV" -> {
					if (!arguments.contains("=")) {
						// Legacy "ENV NAME value" form.
						yield List.of(arguments.split("\\s+", 2)[0]);
					}
					List<String> names = new ArrayList<>();
					// Only names at the start or after whitespace, so values like "-XX:Foo=1" are not names.
					var matcher = Pattern.compile("(?:^|\\s)" + ENV_PAIR.pattern()).matcher(arguments);
					while (matcher.find()) {
						names.add(matcher.group(1));
					}
					yield names;
				}
				default -> List.of();
			};
		}

	}

	/** The final stage declares a HEALTHCHECK, so Docker and Compose know when the service is really up. */
	record HealthcheckPresent() implements DockerfileRule {

		@Override
		public String id() {
			return "SL002";
		}

		@Override
		public List<LintFinding> check(Dockerfile dockerfile) {
			List<Dockerfile.Stage> stages = dockerfile.stages();
			if (stages.isEmpty()) {
				return List.of();
			}
			Dockerfile.Stage last = stages.get(stages.size() - 1);
			boolean present = last.instructions()
				.stream()
				.anyMatch((instruction) -> instruction.keyword().equals("HEALTHCHECK")
						&& !instruction.arguments().strip().equalsIgnoreCase("NONE"));
			return present ? List.of()
					: List.of(new LintFinding(id(), last.from().line(), "final stage has no HEALTHCHECK"));
		}

	}

	/** Every RUN that runs apt-get install also removes /var/lib/apt/lists in the same layer. */
	record AptListsCleaned() implements DockerfileRule {

		@Override
		public String id() {
			return "DL3009";
		}

		@Override
		public List<LintFinding> check(Dockerfile dockerfile) {
			List<LintFinding> findings = new ArrayList<>();
			for (Dockerfile.Instruction run : dockerfile.all("RUN")) {
				String command = run.arguments();
				if (command.matches("(?s).*\\bapt(-get)?\\s+(-\\S+\\s+)*install\\b.*")) {
					if (!command.matches("(?s).*rm\\s+-(rf|fr|r)\\s+/var/lib/apt/lists.*")) {
						findings.add(new LintFinding(id(), run.line(),
								"apt-get install without 'rm -rf /var/lib/apt/lists/*' in the same RUN"));
					}
					if (!command.contains("--no-install-recommends")) {
						findings.add(new LintFinding(id(), run.line(),
								"apt-get install without --no-install-recommends pulls in unneeded packages"));
					}
				}
			}
			return findings;
		}

	}

}
