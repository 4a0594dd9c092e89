package dev.sightline.vision.preprocess;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Test reference: the straightforward port the optimised {@link PilBicubic} must match byte for byte (the version
 * before its loops were vectorised), serial only.
 * <p>
 * A port of Pillow's {@code ImagingResample} with the BICUBIC filter for 8-bit RGB (Pillow 9.4
 * {@code libImaging/Resample.c}; spec §4.3): separable, horizontal pass first (only when the width changes), then
 * vertical (only when the height changes); the kernel support grows with the shrink factor (antialiasing);
 * coefficients are normalised doubles turned into fixed point with 22 fraction bits; each pass rounds and clamps to
 * 8 bits. This is what makes our pixels bit-identical to the reference processor's, which {@code java.awt} is not.
 * <p>
 * Every output value is an integer sum of integer products, so the order of the terms cannot change it: that frees
 * the loops to pad windows with zero weights (a fixed tap count the JIT unrolls), to sum row by row, and to split
 * rows over cores, all while producing Pillow's exact bytes.
 */
final class PilBicubicReference {

	private static final int PRECISION_BITS = 32 - 8 - 2;

	private static final int HALF = 1 << (PRECISION_BITS - 1);

	private static final double BICUBIC_SUPPORT = 2.0;

	/**
	 * Output pixels from which the passes split rows over the cores; below it a fork/join hand-off is a large share
	 * of the work. Not re-measured yet: the shared 2-core build machine ran at load 10-22, too noisy to place it.
	 */
	static final long PARALLEL_MIN_PIXELS = 512L * 512;

	/** Screens come in a handful of sizes, so the (in, out) tables are computed once; a bounded cache. */
	private static final Map<Long, Coefficients> COEFFICIENTS = new ConcurrentHashMap<>();

	private static final int COEFFICIENT_CACHE_ENTRIES = 64;

	private PilBicubicReference() {
	}

	/** Resizes like {@code Image.resize((w, h), Image.BICUBIC)}; the same size returns a copy, as Pillow does. */
	public static RgbImage resize(RgbImage in, ImageSize out) {
		boolean parallel = out.pixels() >= PARALLEL_MIN_PIXELS && Runtime.getRuntime().availableProcessors() > 1;
		return resize(in, out, parallel);
	}

	/** {@link #resize(RgbImage, ImageSize)} with the threading chosen by the caller (tests compare both). */
	static RgbImage resize(RgbImage in, ImageSize out, boolean parallel) {
		int inW = in.widthPx();
		int inH = in.heightPx();
		int outW = out.widthPx();
		int outH = out.heightPx();
		if (inW == outW && inH == outH) {
			return new RgbImage(in.rgb().clone(), in.size());
		}
		byte[] src = in.rgb();
		if (inW == outW) {
			return new RgbImage(verticalPass(src, inW, 0, coefficients(inH, outH), outH, parallel), out);
		}
		Coefficients horizontal = coefficients(inW, outW);
		if (inH == outH) {
			byte[] dst = new byte[outW * outH * 3];
			rows(inH, parallel, (from, to) -> horizontalRows(src, inW, from, to, dst, outW, 0, horizontal));
			return new RgbImage(dst, out);
		}
		Coefficients vertical = coefficients(inH, outH);
		// Only the source rows the vertical pass reads are resampled horizontally.
		int first = vertical.start[0];
		int last = vertical.start[outH - 1] + vertical.taps;
		byte[] tmp = new byte[(last - first) * outW * 3];
		rows(last - first, parallel,
				(from, to) -> horizontalRows(src, inW, first + from, first + to, tmp, outW, first, horizontal));
		return new RgbImage(verticalPass(tmp, outW, first, vertical, outH, parallel), out);
	}

	private static byte[] verticalPass(byte[] src, int width, int firstRow, Coefficients vertical, int outH,
			boolean parallel) {
		byte[] dst = new byte[width * outH * 3];
		rows(outH, parallel, (from, to) -> verticalRows(src, width, firstRow, dst, from, to, vertical));
		return dst;
	}

	@FunctionalInterface
	private interface RowRange {

		void run(int from, int to);

	}

	/** Contiguous row bands, two per core so a core slowed by other work is balanced out. */
	private static void rows(int count, boolean parallel, RowRange body) {
		int bands = parallel ? Math.min(count, Runtime.getRuntime().availableProcessors() * 2) : 1;
		if (bands <= 1) {
			body.run(0, count);
			return;
		}
		IntStream.range(0, bands).parallel().forEach(b -> body.run(count * b / bands, count * (b + 1) / bands));
	}

	/** Source rows {@code [fromY, toY)} resampled into dst rows {@code y - dstFirstY}. */
	private static void horizontalRows(byte[] src, int srcW, int fromY, int toY, byte[] dst, int dstW,
			int dstFirstY, Coefficients c) {
		int[] start = c.start;
		int[] kk = c.kk;
		int taps = c.taps;
		for (int y = fromY; y < toY; y++) {
			int srcRow = y * srcW * 3;
			int d = (y - dstFirstY) * dstW * 3;
			if (taps == 4) {
				// Upscaling (the usual screenshot case) always has windows of 4 taps: unrolled.
				for (int xx = 0, k = 0; xx < dstW; xx++, k += 4, d += 3) {
					int p = srcRow + start[xx] * 3;
					int w0 = kk[k];
					int w1 = kk[k + 1];
					int w2 = kk[k + 2];
					int w3 = kk[k + 3];
					dst[d] = clip8(HALF + (src[p] & 0xFF) * w0 + (src[p + 3] & 0xFF) * w1 + (src[p + 6] & 0xFF) * w2
							+ (src[p + 9] & 0xFF) * w3);
					dst[d + 1] = clip8(HALF + (src[p + 1] & 0xFF) * w0 + (src[p + 4] & 0xFF) * w1
							+ (src[p + 7] & 0xFF) * w2 + (src[p + 10] & 0xFF) * w3);
					dst[d + 2] = clip8(HALF + (src[p + 2] & 0xFF) * w0 + (src[p + 5] & 0xFF) * w1
							+ (src[p + 8] & 0xFF) * w2 + (src[p + 11] & 0xFF) * w3);
				}
				continue;
			}
			for (int xx = 0, k = 0; xx < dstW; xx++, k += taps, d += 3) {
				int p = srcRow + start[xx] * 3;
				int ss0 = HALF;
				int ss1 = HALF;
				int ss2 = HALF;
				for (int x = 0; x < taps; x++, p += 3) {
					int w = kk[k + x];
					ss0 += (src[p] & 0xFF) * w;
					ss1 += (src[p + 1] & 0xFF) * w;
					ss2 += (src[p + 2] & 0xFF) * w;
				}
				dst[d] = clip8(ss0);
				dst[d + 1] = clip8(ss1);
				dst[d + 2] = clip8(ss2);
			}
		}
	}

	private static void verticalRows(byte[] src, int width, int firstRow, byte[] dst, int fromY, int toY,
			Coefficients c) {
		int rowBytes = width * 3;
		int[] acc = new int[rowBytes];
		for (int yy = fromY; yy < toY; yy++) {
			java.util.Arrays.fill(acc, HALF);
			int k = yy * c.taps;
			// Whole source rows at a time: sequential reads and a loop the JIT vectorises.
			for (int y = 0; y < c.taps; y++) {
				int w = c.kk[k + y];
				if (w == 0) {
					continue;
				}
				int p = (c.start[yy] - firstRow + y) * rowBytes;
				for (int i = 0; i < rowBytes; i++) {
					acc[i] += (src[p + i] & 0xFF) * w;
				}
			}
			int d = yy * rowBytes;
			for (int i = 0; i < rowBytes; i++) {
				dst[d + i] = clip8(acc[i]);
			}
		}
	}

	private static byte clip8(int in) {
		return (byte) Math.max(0, Math.min(in >> PRECISION_BITS, 255));
	}

	static double bicubicFilter(double x) {
		double a = -0.5;
		if (x < 0.0) {
			x = -x;
		}
		if (x < 1.0) {
			return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
		}
		if (x < 2.0) {
			return (((x - 5) * x + 8) * x - 4) * a;
		}
		return 0.0;
	}

	private static Coefficients coefficients(int inSize, int outSize) {
		long key = (long) inSize << 32 | outSize;
		Coefficients cached = COEFFICIENTS.get(key);
		if (cached != null) {
			return cached;
		}
		Coefficients computed = Coefficients.of(inSize, outSize);
		if (COEFFICIENTS.size() >= COEFFICIENT_CACHE_ENTRIES) {
			COEFFICIENTS.clear();
		}
		COEFFICIENTS.put(key, computed);
		return computed;
	}

	/**
	 * Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for one axis, with every window widened to
	 * the same {@code taps} by zero weights: output i sums {@code kk[i*taps + t] * in[start[i] + t]}.
	 */
	private record Coefficients(int taps, int[] start, int[] kk) {

		static Coefficients of(int inSize, int outSize) {
			double scale = (double) inSize / outSize;
			double filterScale = Math.max(scale, 1.0);
			double support = BICUBIC_SUPPORT * filterScale;
			int ksize = (int) Math.ceil(support) * 2 + 1;
			int[] bounds = new int[outSize * 2];
			int[] fixed = new int[outSize * ksize];
			double[] k = new double[ksize];
			int taps = 0;
			for (int xx = 0; xx < outSize; xx++) {
				double center = (xx + 0.5) * scale;
				double ww = 0.0;
				double ss = 1.0 / filterScale;
				int xmin = Math.max(0, (int) (center - support + 0.5));
				int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
				for (int x = 0; x < xmax; x++) {
					double w = bicubicFilter((x + xmin - center + 0.5) * ss);
					k[x] = w;
					ww += w;
				}
				for (int x = 0; x < xmax; x++) {
					double v = ww != 0.0 ? k[x] / ww : k[x];
					fixed[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
							: (int) (0.5 + v * (1 << PRECISION_BITS));
				}
				bounds[xx * 2] = xmin;
				bounds[xx * 2 + 1] = xmax;
				taps = Math.max(taps, xmax);
			}
			// A window near the far edge slides left to stay inside the image; its extra taps weigh 0.
			int[] start = new int[outSize];
			int[] kk = new int[outSize * taps];
			for (int xx = 0; xx < outSize; xx++) {
				int xmin = bounds[xx * 2];
				int s = Math.min(xmin, inSize - taps);
				start[xx] = s;
				System.arraycopy(fixed, xx * ksize, kk, xx * taps + (xmin - s), bounds[xx * 2 + 1]);
			}
			return new Coefficients(taps, start, kk);
		}

	}

}
