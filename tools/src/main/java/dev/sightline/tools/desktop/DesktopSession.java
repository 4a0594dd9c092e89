package dev.sightline.tools.desktop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;
import dev.sightline.vision.preprocess.ImageSize;

/**
 * An X display for a desktop task: either an Xvfb that Sightline starts on a free display number and stops on
 * {@link #close()}, or an existing display (e.g. {@code :0}) that is only used, never stopped.
 */
public final class DesktopSession implements AutoCloseable {

	/** Display numbers tried for our own Xvfb; high enough to stay clear of desktops and CI defaults (:0, :99). */
	static final int FIRST_DISPLAY = 110;

	static final int LAST_DISPLAY = 400;

	private static final long START_TIMEOUT_MS = 10_000;

	private final String display;

	private final ImageSize size;

	private final @Nullable Process xvfb;

	private DesktopSession(String display, ImageSize size, @Nullable Process xvfb) {
		this.display = display;
		this.size = size;
		this.xvfb = xvfb;
	}

	/** Starts {@code Xvfb :N -screen 0 WxHx24 -nolisten tcp} on the first free display number. */
	public static DesktopSession startXvfb(int widthPx, int heightPx) {
		ImageSize size = new ImageSize(widthPx, heightPx);
		for (int number = FIRST_DISPLAY; number <= LAST_DISPLAY; number++) {
			if (Files.exists(Path.of("/tmp/.X" + number + "-lock"))
					|| Files.exists(Path.of("/tmp/.X11-unix/X" + number))) {
				continue;
			}
			Process process = launch(number, size);
			if (waitForSocket(number, process)) {
				return new DesktopSession(":" + number, size, process);
			}
			// Another process took the number between our check and Xvfb's start: try the next.
			process.destroyForcibly();
		}
		throw new ToolsException("no free X display number in :" + FIRST_DISPLAY + "..:" + LAST_DISPLAY);
	}

	/** Uses an existing display, e.g. {@code ":0"}; its size is read with {@code xdotool getdisplaygeometry}. */
	public static DesktopSession existing(String display) {
		if (!display.matches(":\\d+(\\.\\d+)?")) {
			throw new IllegalArgumentException("display must look like :N or :N.S, got '" + display + "'");
		}
		String geometry = new String(new X11Commands(display).run(List.of("xdotool", "getdisplaygeometry"), 5_000),
				StandardCharsets.US_ASCII).strip();
		String[] parts = geometry.split("\\s+");
		if (parts.length != 2) {
			throw new ToolsException("cannot read the size of display " + display + " from '" + geometry + "'");
		}
		return new DesktopSession(display, new ImageSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])), null);
	}

	private static Process launch(int number, ImageSize size) {
		try {
			return new ProcessBuilder("Xvfb", ":" + number, "-screen", "0",
					size.widthPx() + "x" + size.heightPx() + "x24", "-nolisten", "tcp")
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new ToolsException("cannot start Xvfb (install the 'xvfb' package): " + ex.getMessage(), ex);
		}
	}

	private static boolean waitForSocket(int number, Process process) {
		Path socket = Path.of("/tmp/.X11-unix/X" + number);
		long deadline = System.nanoTime() + START_TIMEOUT_MS * 1_000_000;
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				return false;
			}
			if (Files.exists(socket)) {
				return true;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
				throw new ToolsException("interrupted while starting Xvfb :" + number, ex);
			}
		}
		return false;
	}

	/** The display name, e.g. {@code ":110"}: set it as {@code DISPLAY} for applications the task should see. */
	public String display() {
		return display;
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
		return new DesktopExecutor(this, new X11Commands(display));
	}

	@Override
	public void close() {
		if (xvfb != null && xvfb.isAlive()) {
			xvfb.destroy();
			try {
				if (!xvfb.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
					xvfb.destroyForcibly();
				}
			}
			catch (InterruptedException ex) {
				xvfb.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

}
