package dev.sightline.tools.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.tools.ToolsException;
import dev.sightline.net.NavigationPolicy;

/** The shared browser's lifecycle: bounded contexts, crash detection and restart. */
class BrowserPoolIT {

	@TempDir
	Path downloads;

	private BrowserTarget target(FixtureServer server) {
		return new BrowserTarget(server.url("button.html"), 800, 600, 1,
				NavigationPolicy.defaults().withPrivateAddressesAllowed(true), downloads);
	}

	@Test
	void boundsTheNumberOfOpenContexts() throws Exception {
		try (FixtureServer server = new FixtureServer();
				BrowserPool pool = new BrowserPool(BrowserSettings.defaults().withMaxContexts(2));
				BrowserExecutor first = pool.open(target(server));
				BrowserExecutor second = pool.open(target(server))) {
			assertThat(pool.openContexts()).isEqualTo(2);
			assertThatThrownBy(() -> pool.open(target(server))).isInstanceOf(ToolsException.class)
				.hasMessageContaining("all 2 browser contexts are in use");
			second.close();
			try (BrowserExecutor third = pool.open(target(server))) {
				assertThat(third.screenshot().widthPx()).isEqualTo(800);
			}
		}
	}

	@Test
	void aCrashedBrowserFailsItsTasksAndIsRestartedForTheNext() throws Exception {
		try (FixtureServer server = new FixtureServer(); BrowserPool pool = new BrowserPool()) {
			BrowserExecutor victim = pool.open(target(server));
			assertThat(victim.screenshot().png()).isNotEmpty();
			List<ProcessHandle> browsers = ProcessHandle.current()
				.descendants()
				.filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false))
				.toList();
			assertThat(browsers).as("Chromium processes under this JVM").isNotEmpty();
			browsers.forEach(ProcessHandle::destroyForcibly);
			for (ProcessHandle browser : browsers) {
				browser.onExit().join();
			}
			assertThatThrownBy(() -> {
				// The disconnect event may need a moment to arrive from the driver.
				for (int i = 0; i < 50; i++) {
					victim.screenshot();
					Thread.sleep(100);
				}
			}).isInstanceOf(BrowserCrashedException.class);
			victim.close();
			try (BrowserExecutor next = pool.open(target(server))) {
				assertThat(next.screenshot().widthPx()).isEqualTo(800);
				assertThat(pool.browserRunning()).isTrue();
			}
		}
	}

}
