package dev.sightline.tools.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sightline.tools.ToolsException;
import dev.sightline.tools.actions.TypeText;
import dev.sightline.tools.coords.CoordinateMapping;
import dev.sightline.vision.preprocess.PixelBudget;

/**
 * A task's own Xvfb against other local clients (another tenant's task, any local user): real Xvfb, real X11
 * handshakes, real xdotool.
 */
class DesktopIsolationIT {

	private static final PixelBudget BUDGET = new PixelBudget(3136, 1280 * 28 * 28);

	@Test
	void aClientWithoutTheCookieCannotConnect() {
		try (DesktopSession session = DesktopSession.startXvfb(640, 480)) {
			assertThatThrownBy(() -> X11Connection.open(session.display(), new byte[0]).close())
				.isInstanceOf(ToolsException.class)
				.hasMessageContaining("refused the connection");
			byte[] wrong = XAuthority.newCookie();
			assertThatThrownBy(() -> X11Connection.open(session.display(), wrong).close())
				.isInstanceOf(ToolsException.class)
				.hasMessageContaining("refused the connection");
			// The command-line tools are X clients too: without the task's Xauthority they get nowhere.
			assertThatThrownBy(() -> new X11Commands(session.display(), Path.of("/nonexistent-xauthority"))
				.run(List.of("xdotool", "getdisplaygeometry"), null, 5_000)).isInstanceOf(ToolsException.class);
			try (X11Connection holder = X11Connection.open(session.display(), session.cookie())) {
				assertThat(holder.widthPx()).isEqualTo(640);
			}
			assertThat(new String(new X11Commands(session.display(), session.authFile().orElseThrow())
				.run(List.of("xdotool", "getdisplaygeometry"), null, 5_000), StandardCharsets.US_ASCII).strip())
				.isEqualTo("640 480");
		}
	}

	@Test
	void theCookieFileIsReadableByItsOwnerOnlyAndRemovedWithTheDisplay() throws IOException {
		Path auth;
		try (DesktopSession session = DesktopSession.startXvfb(320, 240)) {
			auth = session.authFile().orElseThrow();
			assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(auth)))
				.isEqualTo("rw-------");
		}
		assertThat(Files.exists(auth)).isFalse();
	}

	@Test
	void tcpIsOffAndTheDisplayNumberIsDrawnAtRandom() throws IOException {
		try (DesktopSession first = DesktopSession.startXvfb(320, 240);
				DesktopSession second = DesktopSession.startXvfb(320, 240)) {
			int a = Integer.parseInt(first.display().substring(1));
			int b = Integer.parseInt(second.display().substring(1));
			assertThat(a).isBetween(DesktopSession.FIRST_DISPLAY, DesktopSession.LAST_DISPLAY);
			assertThat(b).isBetween(DesktopSession.FIRST_DISPLAY, DesktopSession.LAST_DISPLAY).isNotEqualTo(a);
			// Reported by the server through -displayfd once it accepts connections: its socket is there.
			assertThat(Path.of("/tmp/.X11-unix/X" + a)).exists();
			for (int number : new int[] { a, b }) {
				try (Socket socket = new Socket()) {
					assertThatThrownBy(() -> socket.connect(new InetSocketAddress("127.0.0.1", 6000 + number), 1_000))
						.as("X over TCP on port %d", 6000 + number)
						.isInstanceOf(ConnectException.class);
				}
			}
		}
	}

	@Test
	void typedTextNeverAppearsOnAnyCommandLine() throws Exception {
		String secret = "canary-" + Long.toHexString(System.nanoTime()) + "-s3cr3t";
		Set<String> leaks = ConcurrentHashMap.newKeySet();
		Set<String> typists = ConcurrentHashMap.newKeySet();
		AtomicBoolean typing = new AtomicBoolean(true);
		try (DesktopSession session = DesktopSession.startXvfb(320, 240); DesktopExecutor desktop = session.open()) {
			CoordinateMapping mapping = desktop.screenshot().mapping(BUDGET);
			Thread watcher = Thread.ofPlatform().start(() -> {
				while (typing.get()) {
					leaks.addAll(commandLinesContaining(secret));
					typists.addAll(commandLinesContaining("xdotool type"));
				}
			});
			// xdotool types 8 ms per character: the process lives long enough for the watcher to read it many times.
			desktop.execute(new TypeText(secret + secret), mapping);
			typing.set(false);
			watcher.join();
		}
		assertThat(typists).as("the watcher saw xdotool typing").isNotEmpty();
		assertThat(leaks).as("command lines holding the typed text").isEmpty();
	}

	private static Set<String> commandLinesContaining(String text) {
		Set<String> found = new java.util.HashSet<>();
		try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
			for (Path process : (Iterable<Path>) processes::iterator) {
				if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
					continue;
				}
				try {
					String cmdline = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
					if (cmdline.replace('\0', ' ').contains(text)) {
						found.add(process.getFileName() + ": " + cmdline.replace('\0', ' '));
					}
				}
				catch (IOException ex) {
					// The process exited while we looked.
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return found;
	}

}
