package dev.sightline.e2e.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The project's Dockerfiles pass the lint rules and build what the deployment needs. */
class DockerfilesTest {

	@ParameterizedTest
	@ValueSource(strings = { "agent-service/Dockerfile", "model-server/Dockerfile" })
	void passEveryLintRule(String path) throws IOException {
		assertThat(DockerfileLinter.lint(read(path))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "agent-service/Dockerfile", "model-server/Dockerfile" })
	void buildWithTheMavenWrapperOnAJdk21AndRunOnAJre21(String path) throws IOException {
		Dockerfile dockerfile = Dockerfile.parse(read(path));
		List<Dockerfile.Stage> stages = dockerfile.stages();
		assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
		Dockerfile.Stage build = stages.get(0);
		assertThat(build.image()).startsWith("eclipse-temurin:21").contains("-jdk");
		assertThat(build.instructions()).anySatisfy((instruction) -> {
			assertThat(instruction.keyword()).isEqualTo("RUN");
			assertThat(instruction.arguments()).contains("./mvnw").contains("-DskipTests");
		});
		// The runtime's Java is a Temurin 21 JRE, copied from its official image into the runtime base.
		assertThat(stages).anySatisfy((stage) -> assertThat(stage.image()).startsWith("eclipse-temurin:21").contains("-jre"));
		Dockerfile.Stage runtime = stages.get(stages.size() - 1);
		assertThat(runtime.instructions()).anySatisfy((instruction) -> assertThat(instruction.keyword() + " " + instruction.arguments())
			.startsWith("COPY --from=jre /opt/java/openjdk"));
	}

	@Test
	void agentServiceImageCarriesDebianChromiumFontsAndXvfb() throws IOException {
		Dockerfile dockerfile = Dockerfile.parse(read("agent-service/Dockerfile"));
		Dockerfile.Stage runtime = dockerfile.stages().get(dockerfile.stages().size() - 1);
		assertThat(runtime.image()).startsWith("debian:");
		String install = runtime.instructions()
			.stream()
			.filter((instruction) -> instruction.keyword().equals("RUN") && instruction.arguments().contains("apt-get install"))
			.map(Dockerfile.Instruction::arguments)
			.findFirst()
			.orElseThrow();
		assertThat(install.split("\\s+")).contains("chromium", "fonts-liberation", "xvfb", "xdotool", "curl");
		assertThat(runtime.instructions()).anySatisfy((instruction) -> {
			assertThat(instruction.keyword()).isEqualTo("ENV");
			assertThat(instruction.arguments()).contains("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1");
		});
		// The runnable jar carries no natives: this CPU image adds the CPU ones beside it (docs/deployment.md).
		assertThat(dockerfile.all("ENTRYPOINT")).singleElement()
			.satisfies((entry) -> assertThat(entry.arguments()).contains("/opt/sightline/agent-service.jar")
				.contains("-Dloader.path=/opt/sightline/natives")
				.contains("org.springframework.boot.loader.launch.PropertiesLauncher"));
		assertThat(dockerfile.stages().get(0).instructions()).anySatisfy(
				(instruction) -> assertThat(instruction.arguments()).contains("native-cpu-classpath.txt"));
		assertThat(dockerfile.all("HEALTHCHECK")).singleElement()
			.satisfies((check) -> assertThat(check.arguments()).contains("/actuator/health/liveness"));
	}

	@Test
	void modelServerImageRunsTheModelServerOnACudaBase() throws IOException {
		Dockerfile dockerfile = Dockerfile.parse(read("model-server/Dockerfile"));
		Dockerfile.Stage runtime = dockerfile.stages().get(dockerfile.stages().size() - 1);
		assertThat(runtime.image()).startsWith("nvidia/cuda:").contains("cudnn-runtime");
		assertThat(dockerfile.all("ENTRYPOINT")).singleElement()
			.satisfies((entry) -> assertThat(entry.arguments()).contains("dev.sightline.modelserver.ModelServer")
				.contains("-Dai.djl.offline=false"));
		// CPU natives would shadow the CUDA ones DJL downloads at first start.
		assertThat(dockerfile.stages().get(0).instructions()).anySatisfy(
				(instruction) -> assertThat(instruction.arguments()).contains("-DexcludeArtifactIds=pytorch-native-cpu"));
		assertThat(dockerfile.all("HEALTHCHECK")).singleElement()
			.satisfies((check) -> assertThat(check.arguments()).contains("/actuator/health/liveness"));
		// The server's default interface is loopback: in a container it must listen on all of them.
		assertThat(dockerfile.all("ENV")).anySatisfy((env) -> assertThat(env.arguments()).contains("DJL_CACHE_DIR=")
			.contains("HF_HOME=")
			.contains("SIGHTLINE_MODEL_SERVER_HOST=0.0.0.0"));
	}

	@Test
	void dockerignoreKeepsBuildOutputGitAndEnvFilesOutOfTheContext() throws IOException {
		List<String> patterns = Files.readAllLines(RepositoryRoot.resolve(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(patterns).contains("**/target/", ".git/", "sightline.env", "**/*.env");
	}

	private static String read(String path) throws IOException {
		Path file = RepositoryRoot.resolve(path);
		return Files.readString(file);
	}

}
