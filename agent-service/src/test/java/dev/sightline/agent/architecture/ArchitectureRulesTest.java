package dev.sightline.agent.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The arrows between Maven modules and towards frameworks that Spring Modulith does not see
 * ({@link ModuleBoundariesTest} checks the service's own packages). Main classes of every Sightline module on this
 * test's classpath (vision-runtime, tools, agent-service) are imported once.
 */
class ArchitectureRulesTest {

	static JavaClasses sightline;

	@BeforeAll
	static void importMainClasses() {
		sightline = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.sightline");
	}

	@Test
	void modelCodeNeverUsesTheHttpServer() {
		ArchRule rule = noClasses().that()
			.resideInAnyPackage("dev.sightline.vision.qwen..", "dev.sightline.vision.qwen3..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.sightline.vision.server..")
			.because("the model is a library the server uses; the server maps its errors at its own edge");
		rule.check(sightline);
	}

	@Test
	void onlyToolsNamesTheBrowserExecutor() {
		ArchRule rule = noClasses().that()
			.resideOutsideOfPackage("dev.sightline.tools..")
			.should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("dev.sightline.tools.browser.BrowserExecutor")
			.because("the service drives every target through Executor; a capability it needs (page inspection, "
					+ "the page URL) is an Executor method, never a downcast");
		rule.check(sightline);
	}

	@Test
	void theDomainKnowsNoHttp() {
		ArchRule rule = noClasses().that()
			.resideInAnyPackage("dev.sightline.agent.task..", "dev.sightline.agent.loop..",
					"dev.sightline.agent.approval..", "dev.sightline.agent.queue..", "dev.sightline.agent.model..",
					"dev.sightline.agent.config..", "dev.sightline.agent.store..", "dev.sightline.agent.redis..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.http..")
			.because("domain code throws typed exceptions; only the web layer (web, dashboard) maps them to HTTP");
		rule.check(sightline);
	}

	@Test
	void onlyTheWebLayerAnswersErrors() {
		ArchRule rule = classes().that()
			.areAnnotatedWith(RestControllerAdvice.class)
			.or()
			.areAnnotatedWith(ControllerAdvice.class)
			.should()
			.resideInAnyPackage("dev.sightline.agent.web..", "dev.sightline.agent.dashboard..")
			.because("web (problem+json) and dashboard (error pages) alone turn failures into HTTP answers");
		rule.check(sightline);
	}

}
