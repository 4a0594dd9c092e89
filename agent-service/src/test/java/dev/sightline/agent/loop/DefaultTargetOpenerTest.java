package dev.sightline.agent.loop;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sightline.agent.config.BrowserSettings;
import dev.sightline.agent.config.DesktopSettings;
import dev.sightline.agent.task.Task;
import dev.sightline.agent.task.TaskSpec;
import dev.sightline.agent.task.TaskStatus;
import dev.sightline.agent.task.TaskTarget;
import dev.sightline.tools.ToolsException;
import dev.sightline.tools.browser.BrowserPool;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defence in depth: a desktop task that reached the queue still cannot open a display it may not use. */
class DefaultTargetOpenerTest {

	private static Task desktopTask(String tenant, String display) {
		TaskSpec spec = new TaskSpec("type into the terminal", new TaskTarget.Desktop(display), 5, 60, 0, null, List.of(),
				List.of());
		return new Task("t1", tenant, TaskStatus.QUEUED, spec, Instant.now(), null, null, 0, null, 0);
	}

	@Test
	void refusesADisplayTheOperatorDidNotAllow() {
		try (BrowserPool pool = new BrowserPool()) {
			DefaultTargetOpener opener = new DefaultTargetOpener(pool, new BrowserSettings(List.of(), List.of(), 1280, 720),
					Path.of("downloads"), new DesktopSettings(true, List.of("acme=:5"), null));

			assertThatThrownBy(() -> opener.open(desktopTask("acme", ":0"))).isInstanceOf(ToolsException.class)
				.hasMessageContaining("target.display :0 is not allowed for tenant 'acme'");
			assertThatThrownBy(() -> opener.open(desktopTask("other", ":5"))).isInstanceOf(ToolsException.class)
				.hasMessageContaining("not allowed for tenant 'other'");
		}
	}

	@Test
	void refusesEveryDesktopTaskWhenTurnedOff() {
		try (BrowserPool pool = new BrowserPool()) {
			DefaultTargetOpener opener = new DefaultTargetOpener(pool, new BrowserSettings(List.of(), List.of(), 1280, 720),
					Path.of("downloads"), new DesktopSettings(false, List.of(), null));
			TaskSpec own = new TaskSpec("use the desktop", new TaskTarget.Desktop(null, null), 5, 60, 0, null, List.of(),
					List.of());

			assertThatThrownBy(() -> opener.open(new Task("t2", "acme", TaskStatus.QUEUED, own, Instant.now(), null,
					null, 0, null, 0)))
				.isInstanceOf(ToolsException.class)
				.hasMessageContaining("sightline.desktop.enabled=false");
		}
	}

}
