package dev.sightline.agent.video;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sightline.vision.video.InvalidVideoException;

/**
 * Runs Debian's {@code ffmpeg}/{@code ffprobe} (the launcher installs them): one maintained decoder and encoder for
 * every container and codec, without bundled natives. Failures are {@link InvalidVideoException}s carrying the tool's
 * last error line.
 */
final class Ffmpeg {

	private final long timeoutMs;

	Ffmpeg(long timeoutMs) {
		this.timeoutMs = timeoutMs;
	}

	/** Stdout of {@code command}; throws with {@code what} and ffmpeg's last error line when it fails. */
	byte[] run(List<String> command, String what) {
		Process process;
		try {
			process = new ProcessBuilder(command).start();
		}
		catch (IOException e) {
			throw new InvalidVideoException(
					"cannot start " + command.get(0) + " for " + what + " (install ffmpeg): " + e.getMessage(), e);
		}
		StringBuilder errors = new StringBuilder();
		try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
			process.getOutputStream().close();
			// Drained on its own thread so ffmpeg never blocks on a full stderr pipe.
			Thread drain = Thread.ofVirtual().start(() -> collect(stderr, errors));
			byte[] out = stdout.readAllBytes();
			if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new InvalidVideoException(command.get(0) + " took longer than " + timeoutMs + " ms on " + what
						+ " (sightline.video.timeout-seconds)");
			}
			drain.join(1000);
			if (process.exitValue() != 0) {
				throw new InvalidVideoException(
						command.get(0) + " cannot process " + what + ": " + lastLine(errors.toString()));
			}
			return out;
		}
		catch (IOException e) {
			throw new InvalidVideoException("cannot read " + command.get(0) + " output for " + what, e);
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new InvalidVideoException("interrupted while processing " + what, e);
		}
	}

	private static void collect(InputStream in, StringBuilder errors) {
		try {
			byte[] bytes = in.readAllBytes();
			synchronized (errors) {
				errors.append(new String(bytes, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ignored) {
			try {
				in.transferTo(OutputStream.nullOutputStream());
			}
			catch (IOException alsoIgnored) {
				// The exit code still reports the failure.
			}
		}
	}

	private static String lastLine(String text) {
		String[] lines = text.strip().split("\n");
		String last = lines[lines.length - 1].strip();
		return last.isEmpty() ? "exit code non-zero, no message" : last;
	}

}
