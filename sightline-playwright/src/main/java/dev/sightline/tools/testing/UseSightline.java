package dev.sightline.tools.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test method a fresh browser context's {@link com.microsoft.playwright.Page} and a {@link SightlineAi}
 * on it as parameters, one Chromium and one model per test class, the class's location cache, and an HTML report
 * per test under {@link SightlineConfig#reportDir()} as {@link SightlineConfig#reportMode()} says. Use it instead
 * of Playwright's {@code @UsePlaywright}: both would resolve {@code Page}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(SightlineExtension.class)
public @interface UseSightline {

	/** The configuration; its defaults read {@code sightline.testing.*} settings. */
	Class<? extends SightlineConfig> value() default SightlineConfig.class;

}
