package dev.sightline.vision.weights;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;

/**
 * What a loaded model runs on: engine, libtorch version and flavour (the natives DJL loaded: {@code cpu},
 * {@code cu128}, ...), device with its name and memory, the compute dtypes of each part and the weights' memory.
 * Logged once at load and reported by the model server's {@code /v1/models}, agent-service's
 * {@code /actuator/info} and the dashboard's System page.
 *
 * @param deviceMemoryBytes the GPU's memory, or the machine's for the CPU; 0 when unknown
 */
public record RuntimeInfo(String engine, String djlVersion, String libtorchVersion, String flavour, String device,
		String deviceName, long deviceMemoryBytes, DtypePolicy dtypes, long weightBytes) {

	private static final Pattern LIBTORCH_DIR = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)(?:-\\d{8})?-([A-Za-z0-9]+)-");

	public static RuntimeInfo of(Device device, DtypePolicy dtypes, long weightBytes) {
		Engine engine = Engine.getEngine("PyTorch");
		String deviceName;
		long memory;
		if (device.isGpu()) {
			deviceName = gpuName(device.getDeviceId());
			memory = gpuMemory(device);
		}
		else {
			deviceName = cpuName() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
			memory = machineMemory();
		}
		return new RuntimeInfo(engine.getEngineName(), Engine.getDjlVersion(), engine.getVersion(), loadedFlavour(),
				device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu", deviceName, memory, dtypes, weightBytes);
	}

	/**
	 * The flavour of the loaded libtorch, from the directory DJL loaded it from ({@code 2.7.1-cu128-linux-x86_64} when downloaded, {@code 2.7.1-20250812-cpu-linux-x86_64} from the Maven jar);
	 * {@code custom} for a PYTORCH_LIBRARY_PATH without that layout.
	 */
	public static String loadedFlavour() {
		Engine.getEngine("PyTorch"); // loads the natives
		Path dir = Path.of(LibUtils.getLibtorchPath());
		Matcher m = LIBTORCH_DIR.matcher(dir.getFileName() == null ? "" : dir.getFileName().toString());
		if (m.find()) {
			return m.group(2);
		}
		return CudaUtils.hasCuda() && Engine.getEngine("PyTorch").getGpuCount() > 0 ? "cuda (custom)" : "custom";
	}

	/** One line for the log, e.g. {@code PyTorch 2.7.1 (cpu natives, DJL 0.36.0) on cpu (...)}. */
	public String describe() {
		return String.format(Locale.ROOT, "%s %s (%s natives, DJL %s) on %s (%s%s), dtype %s, weights %.1f MB",
				engine, libtorchVersion, flavour, djlVersion, device, deviceName,
				deviceMemoryBytes > 0 ? String.format(Locale.ROOT, ", %.1f GB", deviceMemoryBytes / 1e9) : "",
				dtypes.describe(), weightBytes / 1e6);
	}

	/** The fields as JSON-ready values, dtypes per part. */
	public Map<String, Object> asMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("engine", engine);
		map.put("djl_version", djlVersion);
		map.put("libtorch_version", libtorchVersion);
		map.put("libtorch_flavour", flavour);
		map.put("device", device);
		map.put("device_name", deviceName);
		map.put("device_memory_bytes", deviceMemoryBytes);
		map.put("dtype_policy", dtypes.name());
		map.put("dtypes", Map.of("vision", dtypes.vision().describe(), "text", dtypes.text().describe()));
		map.put("weight_bytes", weightBytes);
		return map;
	}

	private static String gpuName(int id) {
		// libtorch names no device through DJL; nvidia-smi does, and is there wherever the driver is.
		try {
			Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=name", "--format=csv,noheader", "-i",
					Integer.toString(id))
				.redirectErrorStream(true)
				.start();
			if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0) {
				String name = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
				if (!name.isEmpty()) {
					return name;
				}
			}
			process.destroyForcibly();
		}
		catch (IOException e) {
			// no nvidia-smi: fall through to the compute capability
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return "CUDA device " + id + ", compute capability " + CudaUtils.getComputeCapability(id);
	}

	private static long gpuMemory(Device device) {
		try {
			return CudaUtils.getGpuMemory(device).getMax();
		}
		catch (RuntimeException | LinkageError e) {
			return 0;
		}
	}

	private static String cpuName() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					return line.substring(line.indexOf(':') + 1).strip();
				}
			}
		}
		catch (IOException | RuntimeException e) {
			// not Linux: the architecture is all there is
		}
		return System.getProperty("os.arch") + " CPU";
	}

	private static long machineMemory() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getTotalMemorySize();
		}
		return 0;
	}

}
