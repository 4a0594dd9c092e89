package dev.sightline.vision.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident set size of this process from {@code /proc/self/status} (Linux); -1 where that file does not exist. */
final class ProcessMemory {

	private ProcessMemory() {
	}

	/** {@code VmHWM}: the peak resident set size so far. */
	static long peakRssBytes() {
		return field("VmHWM:");
	}

	/** {@code VmRSS}: the resident set size now. */
	static long currentRssBytes() {
		return field("VmRSS:");
	}

	private static long field(String name) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith(name)) {
					return Long.parseLong(line.substring(name.length()).replace("kB", "").trim()) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException e) {
			return -1;
		}
		return -1;
	}

}
