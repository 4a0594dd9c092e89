package dev.sightline.vision.preprocess;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;

/**
 * A port of Pillow's {@code ImagingResample} with the BICUBIC filter for 8-bit RGB (Pillow 9.4
 * {@code libImaging/Resample.c}; spec §4.3): separable, horizontal pass first (only when the width changes), then
 * vertical (only when the height changes); the kernel support grows with the shrink factor (antialiasing);
 * coefficients are normalised doubles turned into fixed point with 22 fraction bits; each pass rounds and clamps to
 * 8 bits. This is what makes our pixels bit-identical to the reference processor's, which {@code java.awt} is not.
 * <p>
 * Every output value is an integer sum of integer products, so the order of the terms cannot change it: that frees
 * the loops to pad windows with zero weights, to sum row by row and tap by tap in element-wise loops the JIT turns
 * into SIMD, to resample a source row only when an output row first needs it, and to split rows over cores, all
 * while producing Pillow's exact bytes ({@code PilBicubicTest} checks against the plain port).
 */
public final class PilBicubic {

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

	/** Pixels a run of one-apart windows needs before its copies and SIMD loops beat the window-by-window loop. */
	static final int MIN_RUN = 16;

	private PilBicubic() {
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
		Coefficients horizontal = inW == outW ? null : coefficients(inW, outW);
		Coefficients vertical = inH == outH ? null : coefficients(inH, outH);
		byte[] dst = new byte[outW * outH * 3];
		rows(outH, parallel, (from, to) -> new Band(in.rgb(), inW, horizontal, outW, vertical).resample(from, to, dst));
		return new RgbImage(dst, out);
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

	/**
	 * One thread's output rows. Both passes work on rows of {@code int} samples (one per channel) so that their inner
	 * loops read and write arrays of one type at one index, the shape C2 turns into SIMD (a byte-to-int load, or an
	 * int array read at an offset from the one written, keeps it scalar). A source row is resampled horizontally
	 * once, into a ring of the {@code taps} rows the vertical window covers, when the first output row needs it:
	 * each band streams through cache-sized rows instead of a whole intermediate image.
	 */
	private static final class Band {

		private final byte[] src;

		private final int inW;

		private final @Nullable Coefficients horizontal;

		private final @Nullable Coefficients vertical;

		private final int rowLength;

		/** The source row widened to ints, and its copies shifted by each tap of a run (see {@link #run}). */
		private final int[] widened;

		private final int[][] shifted;

		Band(byte[] src, int inW, @Nullable Coefficients horizontal, int outW, @Nullable Coefficients vertical) {
			this.src = src;
			this.inW = inW;
			this.horizontal = horizontal;
			this.vertical = vertical;
			this.rowLength = outW * 3;
			this.widened = horizontal == null ? new int[0] : new int[inW * 3];
			this.shifted = horizontal == null || horizontal.runs.length == 0 ? new int[0][]
					: new int[horizontal.taps][rowLength];
		}

		void resample(int fromY, int toY, byte[] dst) {
			int[] acc = new int[rowLength];
			if (vertical == null) {
				for (int y = fromY; y < toY; y++) {
					sourceRow(y, acc);
					narrow(acc, dst, y * rowLength);
				}
				return;
			}
			Coefficients v = vertical;
			int[][] ring = new int[v.taps][rowLength];
			int[] held = new int[v.taps];
			java.util.Arrays.fill(held, -1);
			for (int yy = fromY; yy < toY; yy++) {
				if (v.taps == 4 && fourTaps(v, yy, ring, held, acc)) {
					narrow(acc, dst, yy * rowLength);
					continue;
				}
				boolean first = true;
				for (int t = 0, k = yy * v.taps; t < v.taps; t++, k++) {
					int w = v.kk[k];
					if (w == 0) {
						// A zero weight adds nothing: its row need not even be resampled.
						continue;
					}
					int[] r = held(v.start[yy] + t, ring, held);
					if (first) {
						for (int i = 0; i < acc.length; i++) {
							acc[i] = HALF + r[i] * w;
						}
						first = false;
					}
					else {
						for (int i = 0; i < acc.length; i++) {
							acc[i] += r[i] * w;
						}
					}
				}
				if (first) {
					java.util.Arrays.fill(acc, HALF);
				}
				clip8(acc);
				narrow(acc, dst, yy * rowLength);
			}
		}

		/**
		 * The usual upscale's output row (four non-zero taps) as one loop of sums and clipping; false when a weight
		 * is zero, which the general loop skips without resampling its row.
		 */
		private boolean fourTaps(Coefficients v, int yy, int[][] ring, int[] held, int[] acc) {
			int k = yy * 4;
			int w0 = v.kk[k];
			int w1 = v.kk[k + 1];
			int w2 = v.kk[k + 2];
			int w3 = v.kk[k + 3];
			if (w0 == 0 || w1 == 0 || w2 == 0 || w3 == 0) {
				return false;
			}
			int s = v.start[yy];
			int[] r0 = held(s, ring, held);
			int[] r1 = held(s + 1, ring, held);
			int[] r2 = held(s + 2, ring, held);
			int[] r3 = held(s + 3, ring, held);
			for (int i = 0; i < acc.length; i++) {
				acc[i] = Math.max(0, Math.min((HALF + r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3) >> PRECISION_BITS,
						255));
			}
			return true;
		}

		/** Source row {@code row} resampled horizontally, from the ring or into it. */
		private int[] held(int row, int[][] ring, int[] held) {
			int slot = row % ring.length;
			if (held[slot] != row) {
				sourceRow(row, ring[slot]);
				held[slot] = row;
			}
			return ring[slot];
		}

		/** Source row {@code y} resampled horizontally (or only widened when the width stays), clipped to 0-255. */
		private void sourceRow(int y, int[] out) {
			int p = y * inW * 3;
			if (horizontal == null) {
				for (int i = 0; i < out.length; i++) {
					out[i] = src[p + i] & 0xFF;
				}
				return;
			}
			Coefficients c = horizontal;
			for (int i = 0; i < widened.length; i++) {
				widened[i] = src[p + i] & 0xFF;
			}
			int xx = 0;
			for (int r = 0; r < c.runs.length; r += 2) {
				scalar(c, xx, c.runs[r], out);
				xx = c.runs[r + 1];
				run(c, c.runs[r], xx, out);
			}
			scalar(c, xx, rowLength / 3, out);
			clip8(out);
		}

		/**
		 * Output pixels {@code [fromX, toX)} whose windows start one source pixel further each: every tap reads the
		 * source at a fixed offset, so after one shifted copy per tap the sums are element-wise (SIMD) loops.
		 */
		private void run(Coefficients c, int fromX, int toX, int[] out) {
			int from = fromX * 3;
			int length = (toX - fromX) * 3;
			int offset = c.start[fromX] * 3 - from;
			for (int t = 0; t < c.taps; t++) {
				System.arraycopy(widened, from + offset + t * 3, shifted[t], from, length);
			}
			int[] s0 = shifted[0];
			int[] w0 = c.wide[0];
			for (int i = from; i < from + length; i++) {
				out[i] = HALF + s0[i] * w0[i];
			}
			for (int t = 1; t < c.taps; t++) {
				int[] s = shifted[t];
				int[] w = c.wide[t];
				for (int i = from; i < from + length; i++) {
					out[i] += s[i] * w[i];
				}
			}
		}

		/** Output pixels {@code [fromX, toX)} one window at a time (downscales, and the pixels between runs). */
		private void scalar(Coefficients c, int fromX, int toX, int[] out) {
			int taps = c.taps;
			for (int xx = fromX, d = fromX * 3; xx < toX; xx++, d += 3) {
				int p = c.start[xx] * 3;
				int ss0 = HALF;
				int ss1 = HALF;
				int ss2 = HALF;
				for (int x = 0, k = xx * taps; x < taps; x++, k++, p += 3) {
					int w = c.kk[k];
					ss0 += widened[p] * w;
					ss1 += widened[p + 1] * w;
					ss2 += widened[p + 2] * w;
				}
				out[d] = ss0;
				out[d + 1] = ss1;
				out[d + 2] = ss2;
			}
		}

	}

	/** Each fixed-point sum to its 8-bit value in place: Pillow's {@code clip8}. */
	private static void clip8(int[] sums) {
		for (int i = 0; i < sums.length; i++) {
			sums[i] = Math.max(0, Math.min(sums[i] >> PRECISION_BITS, 255));
		}
	}

	private static void narrow(int[] samples, byte[] dst, int at) {
		for (int i = 0; i < samples.length; i++) {
			dst[at + i] = (byte) samples[i];
		}
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
	 * the same {@code taps} by zero weights: output i sums {@code kk[i*taps + t] * in[start[i] + t]}. {@code runs}
	 * holds [from, to) pairs of outputs whose windows start one pixel apart, {@code wide[t]} tap t's weight per output
	 * sample (empty without runs).
	 */
	private record Coefficients(int taps, int[] start, int[] kk, int[] runs, int[][] wide) {

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
			int[] runs = runs(start);
			// Per-sample weights only where runs use them (upscales); a downscale's windows go one by one.
			return new Coefficients(taps, start, kk, runs, runs.length == 0 ? new int[0][] : wide(kk, taps, outSize));
		}


		/** Output ranges [from, to) of at least {@link #MIN_RUN} pixels whose windows start one pixel apart. */
		static int[] runs(int[] start) {
			int[] runs = new int[start.length + 1];
			int n = 0;
			int from = 0;
			for (int xx = 1; xx <= start.length; xx++) {
				if (xx == start.length || start[xx] != start[xx - 1] + 1) {
					if (xx - from >= MIN_RUN) {
						runs[n++] = from;
						runs[n++] = xx;
					}
					from = xx;
				}
			}
			return java.util.Arrays.copyOf(runs, n);
		}

		/** The weights per tap, one per output sample (each pixel's weight repeated for its 3 channels). */
		static int[][] wide(int[] kk, int taps, int outSize) {
			int[][] wide = new int[taps][outSize * 3];
			for (int t = 0; t < taps; t++) {
				for (int xx = 0; xx < outSize; xx++) {
					int w = kk[xx * taps + t];
					wide[t][xx * 3] = w;
					wide[t][xx * 3 + 1] = w;
					wide[t][xx * 3 + 2] = w;
				}
			}
			return wide;
		}
	}

}
