package dev.sightline.e2e.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.e2e.deploy.RepositoryRoot;

/**
 * The Playwright test library as a user meets it: a separate Maven project that depends only on
 * {@code sightline-playwright}, with the configuration class copied verbatim from docs/testing-library.md, compiles,
 * runs a {@code @UseSightline} test in real Chromium, and has no Spring, OpenAI SDK or OkHttp on its classpath. The
 * library is installed into a throw-away local repository (the developer's ~/.m2 is only read), and Maven runs
 * offline.
 */
class UserMavenProjectIT {

	private static final Pattern DOCS_CONFIG = Pattern.compile("```java\\n(import java.nio.file.Path;.*?public class ShopModel extends SightlineConfig \\{.*?\\n})\\n```", Pattern.DOTALL);

	@Test
	void buildsAndRunsAUsersProjectAgainstTheLibraryWithoutSpring(@TempDir Path dir) throws Exception {
		Path root = RepositoryRoot.path();
		Path repo = dir.resolve("repo");
		Path tail = Path.of(System.getProperty("user.home"), ".m2", "repository");
		List<String> maven = List.of("-B", "-ntp", "-o", "-Dmaven.repo.local=" + repo,
				"-Dmaven.repo.local.tail=" + tail);
		run(root, dir.resolve("install.log"), maven, "-q", "-pl", "sightline-playwright", "-am", "install",
				"-DskipTests");

		Path project = dir.resolve("shop-tests");
		Matcher docs = DOCS_CONFIG.matcher(Files.readString(root.resolve("docs/testing-library.md")));
		assertThat(docs.find()).as("docs/testing-library.md shows a complete ShopModel configuration class").isTrue();
		write(project.resolve("src/test/java/com/example/ShopModel.java"), "package com.example;\n\n" + docs.group(1));
		write(project.resolve("src/test/java/com/example/CheckoutTest.java"), """
				package com.example;

				import static org.junit.jupiter.api.Assertions.assertEquals;

				import org.junit.jupiter.api.Test;

				import com.microsoft.playwright.Page;

				import dev.sightline.tools.testing.SightlineAi;
				import dev.sightline.tools.testing.UseSightline;

				@UseSightline(ShopModel.class)
				class CheckoutTest {

					@Test
					void opensTheShop(Page page, SightlineAi ai) {
						page.setContent("<title>Shop</title><button>Buy</button>");
						assertEquals("Shop", page.title());
						assertEquals(1440, page.viewportSize().width);
						assertEquals(0, ai.modelCalls());
					}

				}
				""");
		write(project.resolve("pom.xml"), pom(Files.readString(root.resolve("pom.xml"))));

		run(project, dir.resolve("test.log"), maven, "test", "dependency:tree", "-DoutputFile=tree.txt");

		String tree = Files.readString(project.resolve("tree.txt"));
		assertThat(tree).contains("dev.sightline:sightline-playwright:jar")
			.contains("com.microsoft.playwright:playwright:jar")
			.doesNotContain("org.springframework")
			.doesNotContain("com.openai")
			.doesNotContain("okhttp");
		assertThat(project.resolve("target/surefire-reports/TEST-com.example.CheckoutTest.xml"))
			.content()
			.contains("tests=\"1\"")
			.contains("failures=\"0\"")
			.contains("errors=\"0\"");
		// ShopModel's reportMode() is ALWAYS: the extension used the documented configuration class.
		assertThat(project.resolve("target/sightline-reports/com.example.CheckoutTest")).isDirectory();
	}

	private static String pom(String parentPom) {
		String junit = "6.0.3";
		return """
				<?xml version="1.0" encoding="UTF-8"?>
				<project xmlns="http://maven.apache.org/POM/4.0.0">
				  <modelVersion>4.0.0</modelVersion>
				  <groupId>com.example</groupId>
				  <artifactId>shop-tests</artifactId>
				  <version>1</version>
				  <properties>
				    <maven.compiler.release>21</maven.compiler.release>
				    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
				  </properties>
				  <dependencies>
				    <dependency>
				      <groupId>dev.sightline</groupId>
				      <artifactId>sightline-playwright</artifactId>
				      <version>%s</version>
				      <scope>test</scope>
				    </dependency>
				    <dependency>
				      <groupId>org.junit.jupiter</groupId>
				      <artifactId>junit-jupiter</artifactId>
				      <version>%s</version>
				      <scope>test</scope>
				    </dependency>
				  </dependencies>
				  <build>
				    <!-- The versions the Sightline build uses, so an offline build finds them. -->
				    <plugins>
				      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.14.1</version></plugin>
				      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
				      <plugin><artifactId>maven-surefire-plugin</artifactId><version>3.5.6</version></plugin>
				      <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.9.0</version></plugin>
				    </plugins>
				  </build>
				</project>
				""".formatted(projectVersion(parentPom), junit);
	}

	private static String projectVersion(String parentPom) {
		Matcher version = Pattern.compile("<artifactId>sightline-parent</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(parentPom);
		assertThat(version.find()).as("the root pom's version").isTrue();
		return version.group(1);
	}

	private static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, text, StandardCharsets.UTF_8);
	}

	private static void run(Path dir, Path log, List<String> common, String... goals) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(RepositoryRoot.path().resolve("mvnw").toString());
		command.addAll(common);
		command.addAll(List.of(goals));
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new AssertionError("Maven did not finish within 10 minutes: " + command);
		}
		assertThat(process.exitValue())
			.as("%s exited with %d; its log:%n%s", command, process.exitValue(), Files.readString(log))
			.isZero();
	}

}
