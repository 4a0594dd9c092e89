package dev.sightline.tools.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.sightline.tools.scripted.ScriptedModelServer;

import static org.assertj.core.api.Assertions.assertThat;

@UseSightline(SightlineExtensionIT.Config.class)
class SightlineExtensionIT {

	static final ScriptedModelServer MODEL = ScriptedModelServer.start();

	static final PageServer PAGES;

	static final Path DIR;

	static {
		try {
			PAGES = new PageServer().put("/shop", SightlineAiIT.SHOP);
			DIR = Files.createTempDirectory("sightline-extension-it");
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static class Config extends SightlineConfig {

		@Override
		public ModelEndpoint model() {
			return ModelEndpoint.of(MODEL.baseUrl()).withModelName("scripted-Qwen2.5-VL");
		}

		@Override
		public Path cacheFile() {
			return DIR.resolve("locations.json");
		}

		@Override
		public ReportMode reportMode() {
			return ReportMode.ALWAYS;
		}

		@Override
		public Path reportDir() {
			return DIR.resolve("reports");
		}

	}

	@Test
	void injectsAPageAndAnAiDrivingIt(Page page, SightlineAi ai) {
		page.navigate(PAGES.url("/shop"));
		MODEL.enqueue(ScriptedAnswers.bboxOf(page, "#add", "Add to cart"));

		ai.tap("the Add to cart button");

		assertThat(ai.page()).isSameAs(page);
		assertThat(page.textContent("#cart")).isEqualTo("1 item");
		assertThat(DIR.resolve("locations.json")).content().contains("\"selector\" : \"#add\"");
	}

	@AfterAll
	static void wroteAnHtmlReportWithTheStepAndItsMarker() throws IOException {
		try {
			Path report = DIR.resolve("reports")
				.resolve(SightlineExtensionIT.class.getName())
				.resolve("injectsAPageAndAnAiDrivingIt.html");
			String html = Files.readString(report, StandardCharsets.UTF_8);
			assertThat(html).contains("— passed", "tap", "the Add to cart button", "1 model call(s)",
					"data:image/png;base64,", "class=\"point\"", "class=\"box\"");
		}
		finally {
			MODEL.close();
			PAGES.close();
		}
	}

}
