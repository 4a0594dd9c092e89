package dev.sightline.tools.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.DoubleClick;
import dev.sightline.tools.actions.Key;
import dev.sightline.tools.actions.LeftClick;
import dev.sightline.tools.actions.LeftClickDrag;
import dev.sightline.tools.actions.Navigate;
import dev.sightline.tools.actions.RightClick;
import dev.sightline.tools.actions.Scroll;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.tools.coords.ModelPoint;
import dev.sightline.tools.coords.ScreenPoint;
import dev.sightline.tools.execute.Screenshot;
import dev.sightline.vision.preprocess.PixelBudget;

/** Real Xvfb, X11 connection, xdotool and ffmpeg against a real Swing window in a separate JVM. */
class DesktopExecutorIT {

	private static final PixelBudget BUDGET = new PixelBudget(3136, 1280 * 28 * 28);

	private static DesktopSession session;

	@TempDir
	Path work;

	@BeforeAll
	static void startDisplay() {
		session = DesktopSession.startXvfb(1024, 768);
	}

	@AfterAll
	static void stopDisplay() {
		session.close();
		assertThat(Files.exists(Path.of("/tmp/.X11-unix/X" + session.display().substring(1)))).isFalse();
	}

	@Test
	void clicksAButtonAndTypesIntoAFieldOfARealSwingWindow() throws Exception {
		Path events = work.resolve("events.txt");
		Process app = launchFixture(events);
		try (DesktopExecutor desktop = session.open()) {
			awaitLine(events, "ready");
			Thread.sleep(300);
			Screenshot shot = desktop.screenshot();
			assertThat(shot.widthPx()).isEqualTo(1024);
			assertThat(shot.heightPx()).isEqualTo(768);
			CoordinateMapping mapping = shot.mapping(BUDGET);

			desktop.execute(new LeftClick(mapping.toModel(new ScreenPoint(200, 130))), mapping);
			awaitLine(events, "pressed");

			desktop.execute(new LeftClick(mapping.toModel(new ScreenPoint(250, 265))), mapping);
			desktop.execute(new TypeText("hello desktop"), mapping);
			desktop.execute(Key.of("Return"), mapping);
			awaitLine(events, "typed:hello desktop");
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	@Test
	void screenshotIsAPngOfTheWholeDisplay() {
		try (DesktopExecutor desktop = session.open()) {
			Screenshot shot = desktop.screenshot();
			assertThat(shot.png()).startsWith(0x89, 'P', 'N', 'G');
			assertThat(shot.devicePixelRatio()).isEqualTo(1);
			assertThat(desktop.describeTarget()).contains(session.display()).contains("1024x768");
		}
	}

	@Test
	void dragsASliderAndDoubleRightClicksAndScrollsThroughXtest() throws Exception {
		Path events = work.resolve("events.txt");
		Process app = launchFixture(events);
		try (DesktopExecutor desktop = session.open()) {
			awaitLine(events, "ready");
			Thread.sleep(300);
			assertThat(desktop.direct()).isTrue();
			CoordinateMapping mapping = desktop.screenshot().mapping(BUDGET);

			// The knob starts at the left end (value 0); dragging it to the right end sets 100.
			desktop.execute(new LeftClickDrag(mapping.toModel(new ScreenPoint(108, 350)),
					mapping.toModel(new ScreenPoint(420, 350))), mapping);
			awaitLine(events, "slider:100");

			desktop.execute(new DoubleClick(mapping.toModel(new ScreenPoint(525, 175))), mapping);
			awaitLine(events, "double");
			desktop.execute(new RightClick(mapping.toModel(new ScreenPoint(525, 175))), mapping);
			awaitLine(events, "right");
			desktop.execute(new Scroll(-100, mapping.toModel(new ScreenPoint(525, 175))), mapping);
			awaitLine(events, "wheel:1");
			desktop.execute(new Scroll(100, mapping.toModel(new ScreenPoint(525, 175))), mapping);
			awaitLine(events, "wheel:-1");
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	@Test
	void directScreenshotHasTheSamePixelsAsFfmpegsX11Grab() throws Exception {
		Path events = work.resolve("events.txt");
		Process app = launchFixture(events);
		try (DesktopExecutor desktop = session.open()) {
			awaitLine(events, "ready");
			Thread.sleep(300);
			assertThat(desktop.direct()).isTrue();
			BufferedImage direct = ImageIO.read(new ByteArrayInputStream(desktop.screenshot().png()));
			BufferedImage grabbed = ImageIO.read(new ByteArrayInputStream(ffmpegGrab()));
			assertThat(direct.getWidth()).isEqualTo(grabbed.getWidth()).isEqualTo(1024);
			assertThat(direct.getHeight()).isEqualTo(grabbed.getHeight()).isEqualTo(768);
			long differing = 0;
			long nonBlack = 0;
			for (int y = 0; y < 768; y++) {
				for (int x = 0; x < 1024; x++) {
					int rgb = direct.getRGB(x, y) & 0xFFFFFF;
					differing += rgb == (grabbed.getRGB(x, y) & 0xFFFFFF) ? 0 : 1;
					nonBlack += rgb == 0 ? 0 : 1;
				}
			}
			assertThat(differing).isZero();
			// The Swing window (640x480 at the origin) is really in the picture, not an empty root.
			assertThat(nonBlack).isGreaterThan(100_000);
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	private byte[] ffmpegGrab() throws Exception {
		ProcessBuilder grab = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "x11grab",
				"-draw_mouse", "0", "-video_size", "1024x768", "-i", session.display(), "-frames:v", "1", "-c:v", "png",
				"-f", "image2pipe", "pipe:1")
			.redirectError(ProcessBuilder.Redirect.DISCARD);
		grab.environment().put("XAUTHORITY", session.authFile().orElseThrow().toString());
		Process ffmpeg = grab.start();
		byte[] png = ffmpeg.getInputStream().readAllBytes();
		assertThat(ffmpeg.waitFor()).isZero();
		return png;
	}

	@Test
	void refusesBrowserNavigationAndOffScreenPoints() {
		try (DesktopExecutor desktop = session.open()) {
			CoordinateMapping mapping = desktop.screenshot().mapping(BUDGET);
			assertThatThrownBy(() -> desktop.execute(new Navigate("https://example.org"), mapping))
				.isInstanceOf(ToolsException.class)
				.hasMessageContaining("needs a browser");
			assertThatThrownBy(() -> desktop.execute(new LeftClick(new ModelPoint(-1, 5)), mapping))
				.isInstanceOf(dev.sightline.tools.coords.OutOfScreenException.class);
		}
	}

	@Test
	void startsEachSessionOnItsOwnDisplay() {
		try (DesktopSession other = DesktopSession.startXvfb(640, 480)) {
			assertThat(other.display()).isNotEqualTo(session.display());
			assertThat(other.open().screenshot().widthPx()).isEqualTo(640);
		}
	}

	@Test
	void everyScreenshotAfterASecretIsMaskedWhole() throws Exception {
		Path events = work.resolve("events.txt");
		Process app = launchFixture(events);
		try (DesktopExecutor desktop = session.open()) {
			awaitLine(events, "ready");
			Thread.sleep(300);
			assertThat(allBlack(desktop.maskSecrets(desktop.screenshot()))).as("the window, unmasked").isFalse();

			// X cannot say where the focused field is, so the whole frame goes.
			desktop.secretTyped();

			Screenshot masked = desktop.maskSecrets(desktop.screenshot());
			assertThat(masked.widthPx()).isEqualTo(1024);
			assertThat(allBlack(masked)).isTrue();
		}
		finally {
			app.destroyForcibly().waitFor();
		}
	}

	private static boolean allBlack(Screenshot shot) throws IOException {
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(shot.png()));
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				if ((image.getRGB(x, y) & 0xFFFFFF) != 0) {
					return false;
				}
			}
		}
		return true;
	}

	private Process launchFixture(Path events) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
				"-Djava.awt.headless=false", SwingFixtureApp.class.getName(), events.toString()));
		builder.environment().put("DISPLAY", session.display());
		// The task's Xvfb admits only holders of its cookie: the application the task drives gets it, like a login.
		builder.environment().put("XAUTHORITY", session.authFile().orElseThrow().toString());
		return builder.redirectErrorStream(true).redirectOutput(work.resolve("app.log").toFile()).start();
	}

	private void awaitLine(Path events, String line) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			if (Files.exists(events) && Files.readAllLines(events).contains(line)) {
				return;
			}
			Thread.sleep(50);
		}
		String log = Files.exists(work.resolve("app.log")) ? Files.readString(work.resolve("app.log")) : "";
		throw new AssertionError("the Swing fixture never reported '" + line + "'; events: "
				+ (Files.exists(events) ? Files.readAllLines(events) : "none") + "; log: " + log);
	}

}
