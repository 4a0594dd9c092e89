package dev.sightline.e2e.deploy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each lint rule fires on the mistake it is for, at the right line, and stays quiet on the fixed version. */
class DockerfileLinterTest {

	private static final String GOOD = """
			# syntax=docker/dockerfile:1.7
			ARG BASE=debian:13.1-slim
			FROM eclipse-temurin:21.0.8_9-jdk-noble AS build
			RUN ./mvnw -B package
			FROM ${BASE}
			RUN apt-get update \\
			 && apt-get install -y --no-install-recommends curl \\
			 && rm -rf /var/lib/apt/lists/*
			COPY --from=build /app.jar /app.jar
			USER 10001:10001
			HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/ || exit 1
			ENTRYPOINT ["java", "-jar", "/app.jar"]
			""";

	@Test
	void acceptsAPinnedNonRootImageWithHealthcheck() {
		assertThat(DockerfileLinter.lint(GOOD)).isEmpty();
	}

	@Test
	void rejectsLatestAndUntaggedAndVersionlessBaseImages() {
		assertThat(rules(GOOD.replace("eclipse-temurin:21.0.8_9-jdk-noble", "eclipse-temurin:latest")))
			.containsExactly("DL3007/DL3006@3");
		assertThat(rules(GOOD.replace("eclipse-temurin:21.0.8_9-jdk-noble", "eclipse-temurin"))).containsExactly("DL3007/DL3006@3");
		assertThat(rules(GOOD.replace("debian:13.1-slim", "debian:trixie-slim"))).containsExactly("DL3007/DL3006@5");
	}

	@Test
	void resolvesBaseImagesFromGlobalArgsAndAcceptsDigests() {
		assertThat(rules(GOOD.replace("ARG BASE=debian:13.1-slim", "ARG BASE=debian:latest"))).containsExactly("DL3007/DL3006@5");
		assertThat(rules(GOOD.replace("debian:13.1-slim", "debian@sha256:" + "a".repeat(64)))).isEmpty();
		assertThat(rules(GOOD.replace("ARG BASE=debian:13.1-slim", "ARG BASE"))).containsExactly("DL3007/DL3006@5");
	}

	@Test
	void rejectsAnImageThatRunsAsRoot() {
		assertThat(rules(GOOD.replace("USER 10001:10001\n", ""))).containsExactly("DL3002@5");
		assertThat(rules(GOOD.replace("USER 10001:10001", "USER 10001\nUSER root"))).containsExactly("DL3002@11");
		// A USER in the build stage does not make the final image non-root.
		assertThat(rules(GOOD.replace("USER 10001:10001\n", "").replace("RUN ./mvnw", "USER 1000\nRUN ./mvnw")))
			.containsExactly("DL3002@6");
	}

	@Test
	void rejectsSecretsInEnvAndArg() {
		assertThat(rules(GOOD.replace("USER 10001", "ENV SIGHTLINE_MODEL_API_KEY=sk-123\nUSER 10001")))
			.containsExactly("SL001@10");
		assertThat(rules(GOOD.replace("USER 10001", "ARG HF_TOKEN\nUSER 10001"))).containsExactly("SL001@10");
		assertThat(rules(GOOD.replace("USER 10001", "ENV A=1 REDIS_PASSWORD=x\nUSER 10001"))).containsExactly("SL001@10");
		assertThat(rules(GOOD.replace("USER 10001", "ENV JAVA_TOOL_OPTIONS=\"-XX:MaxRAMPercentage=75\"\nUSER 10001")))
			.isEmpty();
	}

	@Test
	void requiresAHealthcheckInTheFinalStage() {
		assertThat(rules(GOOD.replace("HEALTHCHECK CMD curl -fsS http://127.0.0.1:8080/ || exit 1", "HEALTHCHECK NONE")))
			.containsExactly("SL002@5");
	}

	@Test
	void requiresAptListsRemovedInTheSameLayer() {
		assertThat(rules(GOOD.replace(" \\\n && rm -rf /var/lib/apt/lists/*", ""))).containsExactly("DL3009@6");
		assertThat(rules(GOOD.replace("--no-install-recommends ", ""))).containsExactly("DL3009@6");
	}

	@Test
	void joinsContinuationLinesAndKeepsTheFirstLineNumber() {
		Dockerfile dockerfile = Dockerfile.parse(GOOD);
		Dockerfile.Instruction install = dockerfile.all("RUN").get(1);
		assertThat(install.line()).isEqualTo(6);
		assertThat(install.arguments()).isEqualTo(
				"apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*");
		assertThat(dockerfile.stages()).extracting(Dockerfile.Stage::image)
			.containsExactly("eclipse-temurin:21.0.8_9-jdk-noble", "debian:13.1-slim");
	}

	private static List<String> rules(String dockerfile) {
		return DockerfileLinter.lint(dockerfile).stream().map((finding) -> finding.rule() + "@" + finding.line()).toList();
	}

}
