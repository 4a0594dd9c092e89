package dev.sightline.tools.desktop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import dev.sightline.tools.ToolsException;

/**
 * Runs X11 command-line tools (xdotool, ffmpeg) against one display, with a timeout and their errors surfaced. Text
 * that may be secret goes on stdin, never on the command line, which every local user can read in
 * {@code /proc/PID/cmdline}.
 */
final class X11Commands {

	private final String display;

	private final @Nullable Path authFile;

	/** @param authFile the display's Xauthority file ({@code XAUTHORITY}); null to use the user's own */
	X11Commands(String display, @Nullable Path authFile) {
		this.display = display;
		this.authFile = authFile;
	}

	/** Runs {@code command} with {@code DISPLAY} set, {@code stdin} (or nothing) as its input; returns its stdout. */
	byte[] run(List<String> command, byte @Nullable [] stdin, long timeoutMs) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
		builder.environment().put("DISPLAY", display);
		if (authFile != null) {
			builder.environment().put("XAUTHORITY", authFile.toString());
		}
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new ToolsException("cannot run " + command.get(0) + " (is it installed?): " + ex.getMessage(), ex);
		}
		try {
			try (var in = process.getOutputStream()) {
				if (stdin != null) {
					in.write(stdin);
				}
			}
			ByteArrayOutputStream errors = new ByteArrayOutputStream();
			Thread errorReader = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), errors));
			byte[] out = process.getInputStream().readAllBytes();
			if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new ToolsException(command.get(0) + " on " + display + " took longer than " + timeoutMs + " ms");
			}
			errorReader.join(1_000);
			if (process.exitValue() != 0) {
				throw new ToolsException(command.get(0) + " on " + display + " failed with exit code "
						+ process.exitValue() + ": " + errors.toString().strip());
			}
			return out;
		}
		catch (IOException ex) {
			process.destroyForcibly();
			throw new ToolsException(command.get(0) + " on " + display + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new ToolsException(command.get(0) + " on " + display + " was interrupted", ex);
		}
	}

	private static void drain(InputStream in, ByteArrayOutputStream sink) {
		try {
			in.transferTo(sink);
		}
		catch (IOException ignored) {
			// The process ended; what was read is enough for the error message.
		}
	}

}
