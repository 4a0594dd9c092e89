package dev.sightline.agent.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sightline.agent.SightlineApplication;

/** One agent-service replica in a JVM of its own (this JVM's class path), its output in a log file. */
final class ReplicaProcess implements AutoCloseable {

	private final Process process;

	private final Path log;

	private ReplicaProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	static ReplicaProcess start(Map<String, Object> properties, Path log) throws IOException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx768m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
				SightlineApplication.class.getName()));
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		return new ReplicaProcess(process, log);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Waits until the log contains {@code marker}; fails when the process exits or the time runs out. */
	void awaitLog(String marker, long deadlineNanos) throws IOException, InterruptedException {
		while (System.nanoTime() < deadlineNanos) {
			if (Files.exists(log) && Files.readString(log).contains(marker)) {
				return;
			}
			if (!process.isAlive()) {
				throw new IllegalStateException("replica exited with " + process.exitValue() + " during start-up; see "
						+ log);
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("replica did not log '" + marker + "' in time; see " + log);
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(15, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

}
