package dev.sightline.tools.desktop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * An X display for a desktop task: either an Xvfb that Sightline starts for the task and stops on {@link #close()},
 * or an existing display (e.g. {@code :0}) that is only used, never stopped.
 *
 * <p>
 * An own Xvfb is isolated from other tenants and local users: it requires a random MIT-MAGIC-COOKIE-1 that only this
 * session holds ({@code -auth}, file readable by its owner only), listens on its Unix socket only
 * ({@code -nolisten tcp}), and runs on a display number drawn at random and reported by the server itself
 * ({@code -displayfd}) once it accepts connections, so the number is neither guessable in advance nor raced.
 */
public final class DesktopSession implements AutoCloseable {

	/** Display numbers drawn for our own Xvfb: clear of desktops and CI defaults (:0, :99), below TCP-port wrap. */
	public static final int FIRST_DISPLAY = 1_000;

	public static final int LAST_DISPLAY = 30_000;

	private static final int START_ATTEMPTS = 8;

	private static final long START_TIMEOUT_MS = 10_000;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final String display;

	private final ImageSize size;

	private final @Nullable Process xvfb;

	/**
	 * The cookie and the Xauthority file that holds it: the own Xvfb's (deleted on close), or the one named for an
	 * existing display; empty and null when the user's Xauthority applies.
	 */
	private final byte[] cookie;

	private final @Nullable Path authFile;

	private DesktopSession(String display, ImageSize size, @Nullable Process xvfb, byte[] cookie,
			@Nullable Path authFile) {
		this.display = display;
		this.size = size;
		this.xvfb = xvfb;
		this.cookie = cookie;
		this.authFile = authFile;
	}

	/**
	 * Starts {@code Xvfb :N -displayfd 1 -auth FILE -nolisten tcp -screen 0 WxHx24} on a random free display number.
	 */
	public static DesktopSession startXvfb(int widthPx, int heightPx) {
		ImageSize size = new ImageSize(widthPx, heightPx);
		byte[] cookie = XAuthority.newCookie();
		Path authFile = XAuthority.writeFile(cookie);
		try {
			for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
				int number = FIRST_DISPLAY + RANDOM.nextInt(LAST_DISPLAY - FIRST_DISPLAY);
				Process process = launch(number, size, authFile);
				Integer ready = awaitDisplayNumber(process);
				if (ready != null && ready == number) {
					return new DesktopSession(":" + number, size, process, cookie, authFile);
				}
				// The number was taken (Xvfb exits when its lock file exists): draw another.
				process.destroyForcibly();
			}
		}
		catch (RuntimeException ex) {
			deleteQuietly(authFile);
			throw ex;
		}
		deleteQuietly(authFile);
		throw new ToolsException("Xvfb did not start on any of " + START_ATTEMPTS + " random display numbers in :"
				+ FIRST_DISPLAY + "..:" + LAST_DISPLAY);
	}

	/** Uses an existing display, e.g. {@code ":0"}, with the user's Xauthority ({@code XAUTHORITY}). */
	public static DesktopSession existing(String display) {
		return existing(display, null);
	}

	/**
	 * Uses an existing display, e.g. {@code ":0"}; its size is read with {@code xdotool getdisplaygeometry}.
	 * @param xauthority the Xauthority file holding the display's cookie; null for the user's ({@code XAUTHORITY},
	 * else {@code ~/.Xauthority})
	 */
	public static DesktopSession existing(String display, @Nullable Path xauthority) {
		if (!display.matches(":\\d+(\\.\\d+)?")) {
			throw new IllegalArgumentException("display must look like :N or :N.S, got '" + display + "'");
		}
		String geometry = new String(
				new X11Commands(display, xauthority).run(List.of("xdotool", "getdisplaygeometry"), null, 5_000),
				StandardCharsets.US_ASCII)
			.strip();
		String[] parts = geometry.split("\\s+");
		if (parts.length != 2) {
			throw new ToolsException("cannot read the size of display " + display + " from '" + geometry + "'");
		}
		byte[] cookie = xauthority == null ? new byte[0]
				: XAuthority.cookie(xauthority, X11Connection.displayNumber(display));
		return new DesktopSession(display, new ImageSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])), null,
				cookie, xauthority);
	}

	private static Process launch(int number, ImageSize size, Path authFile) {
		try {
			// -displayfd 1: the server writes its display number to stdout once it accepts connections.
			return new ProcessBuilder("Xvfb", ":" + number, "-displayfd", "1", "-auth", authFile.toString(), "-nolisten",
					"tcp", "-screen", "0", size.widthPx() + "x" + size.heightPx() + "x24")
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new ToolsException("cannot start Xvfb (install the 'xvfb' package): " + ex.getMessage(), ex);
		}
	}

	/** The number Xvfb reports through {@code -displayfd}, or null when it exits (or stays silent) instead. */
	private static @Nullable Integer awaitDisplayNumber(Process process) {
		CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
			try {
				return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))
					.readLine();
			}
			catch (IOException ex) {
				return null;
			}
		}, command -> Thread.ofVirtual().start(command));
		try {
			String reported = line.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
			return reported == null || !reported.strip().matches("\\d{1,6}") ? null : Integer.valueOf(reported.strip());
		}
		catch (TimeoutException | ExecutionException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new ToolsException("interrupted while starting Xvfb", ex);
		}
	}

	/** The display name, e.g. {@code ":4711"}: set it as {@code DISPLAY} for applications the task should see. */
	public String display() {
		return display;
	}

	/**
	 * The display's Xauthority file, to set as {@code XAUTHORITY} for applications the task should see; empty when
	 * the user's own applies.
	 */
	public Optional<Path> authFile() {
		return Optional.ofNullable(authFile);
	}

	/** The cookie an X client must present; empty when the user's Xauthority applies. */
	byte[] cookie() {
		return cookie.clone();
	}

	public ImageSize size() {
		return size;
	}

	/** Whether Sightline started (and will stop) this display. */
	public boolean owned() {
		return xvfb != null;
	}

	public DesktopExecutor open() {
		if (xvfb != null && !xvfb.isAlive()) {
			throw new ToolsException("Xvfb " + display + " has exited");
		}
		return new DesktopExecutor(this, new X11Commands(display, authFile));
	}

	@Override
	public void close() {
		if (xvfb != null && xvfb.isAlive()) {
			xvfb.destroy();
			try {
				if (!xvfb.waitFor(3, TimeUnit.SECONDS)) {
					xvfb.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				xvfb.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		if (xvfb != null && authFile != null) {
			deleteQuietly(authFile);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ignored) {
			// A temp file readable by its owner only; the OS's temp cleaning takes it.
		}
	}

}
