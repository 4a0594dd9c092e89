package dev.sightline.tools.testing;

import java.lang.reflect.Constructor;
import java.nio.file.Path;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import dev.sightline.tools.browser.BrowserLauncher;
import dev.sightline.tools.browser.BrowserSettings;
import dev.sightline.vision.chat.VisionLanguageModel;

/** The JUnit 5 extension behind {@link UseSightline}. */
public final class SightlineExtension implements ParameterResolver, AfterTestExecutionCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(SightlineExtension.class);

	/** One per test class; JUnit closes it with the class's store. */
	private record ClassResources(SightlineConfig config, Playwright playwright, Browser browser,
			VisionLanguageModel model, LocationCache cache) implements AutoCloseable {

		@Override
		public void close() {
			try {
				model.close();
			}
			finally {
				browser.close();
				playwright.close();
			}
		}

	}

	/** One per test method; JUnit closes it after the report is written. */
	private record TestResources(BrowserContext context, Page page, SightlineAi ai) implements AutoCloseable {

		@Override
		public void close() {
			context.close();
		}

	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return (type == SightlineAi.class || type == Page.class) && context.getTestMethod().isPresent();
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		TestResources test = test(context);
		return parameter.getParameter().getType() == Page.class ? test.page() : test.ai();
	}

	@Override
	public void afterTestExecution(ExtensionContext context) {
		TestResources test = context.getStore(NAMESPACE).get(TestResources.class, TestResources.class);
		if (test == null) {
			return;
		}
		ClassResources resources = classResources(context);
		Throwable failure = context.getExecutionException().orElse(null);
		ReportMode mode = resources.config().reportMode();
		if (mode == ReportMode.ALWAYS || mode == ReportMode.ON_FAILURE && failure != null) {
			Path file = resources.config()
				.reportDir()
				.resolve(context.getRequiredTestClass().getName())
				.resolve(context.getRequiredTestMethod().getName() + ".html");
			HtmlReport.write(file, context.getDisplayName(), test.ai().steps(), failure);
			context.publishReportEntry("sightline-report", file.toAbsolutePath().toString());
		}
	}

	private TestResources test(ExtensionContext context) {
		return context.getStore(NAMESPACE).getOrComputeIfAbsent(TestResources.class, key -> {
			ClassResources resources = classResources(context);
			BrowserContext browserContext = resources.browser().newContext(resources.config().contextOptions());
			Page page = browserContext.newPage();
			SightlineAi ai = SightlineAi.create(page, resources.model(),
					resources.config().options(resources.cache()));
			return new TestResources(browserContext, page, ai);
		}, TestResources.class);
	}

	private ClassResources classResources(ExtensionContext context) {
		ExtensionContext classContext = context;
		while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
			classContext = classContext.getParent().get();
		}
		Class<?> testClass = context.getRequiredTestClass();
		return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(ClassResources.class, key -> {
			SightlineConfig config = config(testClass);
			Playwright playwright = BrowserLauncher.playwright();
			Browser browser = BrowserLauncher.launch(playwright, BrowserSettings.defaults());
			LocationCache cache = config.cacheMode() == CacheMode.OFF ? LocationCache.none()
					: LocationCache.file(config.cacheFile());
			VisionLanguageModel inProcess = config.inProcessModel();
			VisionLanguageModel model = inProcess != null ? inProcess : config.model().connect();
			return new ClassResources(config, playwright, browser, model, cache);
		}, ClassResources.class);
	}

	private static SightlineConfig config(Class<?> testClass) {
		Class<? extends SightlineConfig> type = AnnotationSupport.findAnnotation(testClass, UseSightline.class)
			.map(UseSightline::value)
			.orElse(SightlineConfig.class);
		try {
			Constructor<? extends SightlineConfig> constructor = type.getDeclaredConstructor();
			constructor.setAccessible(true);
			return constructor.newInstance();
		}
		catch (ReflectiveOperationException e) {
			throw new ParameterResolutionException(
					"@UseSightline(" + type.getName() + ".class) needs a no-argument constructor: " + e, e);
		}
	}

}
