package dev.sightline.vision.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sightline.vision.chat.TimedFrame;
import dev.sightline.vision.preprocess.ImageProcessor;
import dev.sightline.vision.preprocess.PixelBudget;
import dev.sightline.vision.preprocess.ProcessorConfig;
import dev.sightline.vision.preprocess.RgbImage;
import dev.sightline.vision.video.VideoProcessor;

/**
 * {@code ./sightline bench preprocess}: PNG bytes to pixel_values for 1280x720, 1920x1080 and 3840x2160 synthetic
 * screenshots and a 16-frame 1280x720 clip, with the decode / resize / normalize+patchify split; medians after JIT
 * warm-up. When {@code python3} with Pillow and numpy is present, the reference (Pillow decode + BICUBIC resize,
 * numpy rescale/normalize/patchify as transformers' slow processor) runs on the same PNGs and the ratio is reported.
 * Options: {@code --repeats N} (default 7), {@code --no-reference}.
 */
final class PreprocessBench {

	private static final int[][] SIZES = { { 1280, 720 }, { 1920, 1080 }, { 3840, 2160 } };

	private static final int VIDEO_FRAMES = 16;

	private PreprocessBench() {
	}

	static BenchReport run(List<String> args) throws IOException, InterruptedException {
		int repeats = intOption(args, "--repeats", 7);
		boolean reference = !args.contains("--no-reference");
		BenchReport report = new BenchReport("preprocess");
		ImageProcessor processor = new ImageProcessor(ProcessorConfig.PUBLISHED);
		PixelBudget budget = PixelBudget.PUBLISHED;
		Path dir = Files.createTempDirectory("sightline-bench-");
		List<String> cases = new ArrayList<>();
		for (int[] size : SIZES) {
			String name = size[0] + "x" + size[1];
			byte[] png = png(screenshot(size[0], size[1], 42));
			Files.write(dir.resolve(name + ".png"), png);
			cases.add(name);
			RgbImage decoded = processor.decoder().decode(png);
			RgbImage resized = processor.resize(decoded, budget);
			report.add(name, "png_bytes", png.length, "bytes");
			report.add(name, "total", BenchReport.median(BenchReport.timeMs(3, repeats,
					() -> processor.process(png, budget))), "ms");
			report.add(name, "decode", BenchReport.median(BenchReport.timeMs(2, repeats,
					() -> processor.decoder().decode(png))), "ms");
			report.add(name, "resize", BenchReport.median(BenchReport.timeMs(2, repeats,
					() -> processor.resize(decoded, budget))), "ms");
			report.add(name, "normalize_patchify", BenchReport.median(BenchReport.timeMs(2, repeats,
					() -> processor.flatten(List.of(resized), resized.size()))), "ms");
		}
		List<TimedFrame> frames = new ArrayList<>();
		for (int i = 0; i < VIDEO_FRAMES; i++) {
			byte[] png = png(screenshot(1280, 720, 100 + i));
			Files.write(dir.resolve(String.format("video_%02d.png", i)), png);
			frames.add(new TimedFrame(png, i * 0.5));
		}
		VideoProcessor videos = new VideoProcessor(processor);
		String video = "video_16x1280x720";
		report.add(video, "total", BenchReport.median(BenchReport.timeMs(2, Math.max(3, repeats / 2),
				() -> videos.process(frames, budget))), "ms");
		if (reference) {
			reference(report, dir, cases, repeats);
		}
		try (var files = Files.list(dir)) {
			for (Path f : files.toList()) {
				Files.delete(f);
			}
		}
		Files.delete(dir);
		return report;
	}

	/** Runs the Pillow/numpy reference on the same files; adds reference rows and Java/reference ratios. */
	private static void reference(BenchReport report, Path dir, List<String> cases, int repeats)
			throws IOException, InterruptedException {
		String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
		Path script = dir.resolve("reference.py");
		Files.writeString(script, REFERENCE_SCRIPT);
		List<String> command = new ArrayList<>(List.of(python, script.toString(), dir.toString(),
				String.valueOf(repeats)));
		command.addAll(cases);
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException e) {
			report.add("reference", "unavailable", 0, python + " not found");
			return;
		}
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
			report.add("reference", "unavailable", 0, "python3 with Pillow and numpy needed");
			return;
		}
		ObjectMapper json = new ObjectMapper();
		for (String line : out.split("\n")) {
			if (!line.startsWith("{")) {
				continue;
			}
			JsonNode row = json.readTree(line);
			String name = row.path("case").asText();
			String metric = row.path("metric").asText();
			double ms = row.path("ms").asDouble();
			report.add(name, "reference_" + metric, ms, "ms");
			double ours = report.rows().stream()
				.filter(r -> r.caseName().equals(name) && r.metric().equals(metric))
				.mapToDouble(BenchReport.Row::value)
				.findFirst()
				.orElse(Double.NaN);
			if (metric.equals("total")) {
				report.add(name, "java_over_reference", ours / ms, "ratio");
			}
		}
	}

	/** A UI-like screen: title bar, sidebar, text, buttons, a table, a gradient banner and a photo-like block. */
	static BufferedImage screenshot(int w, int h, long seed) {
		Random random = new Random(seed);
		BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		double s = h / 720.0;
		g.setColor(new Color(0xF5F6F8));
		g.fillRect(0, 0, w, h);
		g.setColor(new Color(0x24292F));
		g.fillRect(0, 0, w, (int) (48 * s));
		g.setColor(new Color(0xE9ECEF));
		g.fillRect(0, (int) (48 * s), (int) (220 * s), h);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) (14 * s)));
		for (int i = 0; i < 14; i++) {
			g.setColor(new Color(0x333333));
			g.drawString("Menu item " + (i + 1), (int) (20 * s), (int) ((90 + i * 32) * s));
		}
		g.setPaint(new GradientPaint(0, 0, new Color(0x4F46E5), w, 0, new Color(0x06B6D4)));
		g.fillRect((int) (240 * s), (int) (64 * s), w - (int) (260 * s), (int) (90 * s));
		g.setColor(Color.WHITE);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) (28 * s)));
		g.drawString("Invoices - March " + seed, (int) (260 * s), (int) (120 * s));
		g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, (int) (13 * s)));
		for (int row = 0; row < 12; row++) {
			int y = (int) ((180 + row * 34) * s);
			g.setColor(row % 2 == 0 ? Color.WHITE : new Color(0xF0F2F5));
			g.fillRect((int) (240 * s), y, (int) (w * 0.5), (int) (34 * s));
			g.setColor(new Color(0x1F2328));
			g.drawString(String.format("INV-%05d   %8.2f EUR   2025-03-%02d   paid", random.nextInt(99999),
					random.nextDouble() * 9999, 1 + row), (int) (250 * s), y + (int) (22 * s));
		}
		for (int b = 0; b < 4; b++) {
			g.setColor(new Color(0x2563EB));
			g.fillRoundRect((int) ((240 + b * 130) * s), h - (int) (70 * s), (int) (110 * s), (int) (36 * s), 12, 12);
			g.setColor(Color.WHITE);
			g.drawString("Button " + b, (int) ((262 + b * 130) * s), h - (int) (47 * s));
		}
		// A photo-like block with noise, which PNG compresses poorly, as real screens with images do.
		int px = (int) (w * 0.78);
		int py = (int) (180 * s);
		int pw = w - px - (int) (20 * s);
		int ph = (int) (260 * s);
		for (int y = 0; y < ph; y++) {
			for (int x = 0; x < pw; x++) {
				int r = (x * 255 / pw + random.nextInt(24)) & 0xFF;
				int gg = (y * 255 / ph + random.nextInt(24)) & 0xFF;
				image.setRGB(px + x, py + y, r << 16 | gg << 8 | 0x80);
			}
		}
		g.dispose();
		return image;
	}

	private static byte[] png(BufferedImage image) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "png", out);
		return out.toByteArray();
	}

	private static int intOption(List<String> args, String name, int fallback) {
		int at = args.indexOf(name);
		return at >= 0 && at + 1 < args.size() ? Integer.parseInt(args.get(at + 1)) : fallback;
	}

	/** transformers' slow Qwen2VLImageProcessor path: Pillow decode + BICUBIC, numpy rescale/normalize/patchify. */
	private static final String REFERENCE_SCRIPT = """
			import io, json, math, statistics, sys, time
			import numpy as np
			from PIL import Image

			MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
			STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)

			def smart_resize(h, w, factor=28, min_pixels=3136, max_pixels=12845056):
			    h_bar = round(h / factor) * factor
			    w_bar = round(w / factor) * factor
			    if h_bar * w_bar > max_pixels:
			        beta = math.sqrt((h * w) / max_pixels)
			        h_bar = max(factor, math.floor(h / beta / factor) * factor)
			        w_bar = max(factor, math.floor(w / beta / factor) * factor)
			    elif h_bar * w_bar < min_pixels:
			        beta = math.sqrt(min_pixels / (h * w))
			        h_bar = math.ceil(h * beta / factor) * factor
			        w_bar = math.ceil(w * beta / factor) * factor
			    return h_bar, w_bar

			def decode(data):
			    return Image.open(io.BytesIO(data)).convert("RGB")

			def resize(img):
			    h, w = smart_resize(img.height, img.width)
			    return img.resize((w, h), resample=Image.BICUBIC)

			def normalize_patchify(img):
			    x = (np.array(img).astype(np.float64) * (1 / 255)).astype(np.float32)
			    x = ((x - MEAN) / STD).transpose(2, 0, 1)
			    patches = np.tile(x[None], (2, 1, 1, 1))
			    c, gh, gw = 3, x.shape[1] // 14, x.shape[2] // 14
			    patches = patches.reshape(1, 2, c, gh // 2, 2, 14, gw // 2, 2, 14)
			    patches = patches.transpose(0, 3, 6, 4, 7, 2, 1, 5, 8)
			    return np.ascontiguousarray(patches.reshape(gh * gw, c * 2 * 14 * 14))

			def timed(fn, repeats, warmups=2):
			    for _ in range(warmups):
			        fn()
			    ms = []
			    for _ in range(repeats):
			        t = time.perf_counter()
			        fn()
			        ms.append((time.perf_counter() - t) * 1000)
			    return statistics.median(ms)

			folder, repeats = sys.argv[1], int(sys.argv[2])
			for name in sys.argv[3:]:
			    data = open(f"{folder}/{name}.png", "rb").read()
			    img = decode(data)
			    small = resize(img)
			    rows = {
			        "total": timed(lambda: normalize_patchify(resize(decode(data))), repeats),
			        "decode": timed(lambda: decode(data), repeats),
			        "resize": timed(lambda: resize(img), repeats),
			        "normalize_patchify": timed(lambda: normalize_patchify(small), repeats),
			    }
			    for metric, ms in rows.items():
			        print(json.dumps({"case": name, "metric": metric, "ms": ms}), flush=True)
			""";

}
