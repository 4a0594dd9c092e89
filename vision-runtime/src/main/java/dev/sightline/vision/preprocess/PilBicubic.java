package dev.sightline.vision.preprocess;

import java.util.stream.IntStream;

/**
 * A port of Pillow's {@code ImagingResample} with the BICUBIC filter for 8-bit RGB (Pillow 9.4
 * {@code libImaging/Resample.c}; spec §4.3): separable, horizontal pass first (only when the width changes), then
 * vertical (only when the height changes); the kernel support grows with the shrink factor (antialiasing);
 * coefficients are normalised doubles turned into fixed point with 22 fraction bits; each pass rounds and clamps to
 * 8 bits. This is what makes our pixels bit-identical to the reference processor's, which {@code java.awt} is not.
 */
public final class PilBicubic {

	private static final int PRECISION_BITS = 32 - 8 - 2;

	private static final double BICUBIC_SUPPORT = 2.0;

	/** Output rows x columns above which the passes split rows over all cores; below it threads cost more. */
	static final long PARALLEL_MIN_PIXELS = 512L * 512;

	private PilBicubic() {
	}

	/** Resizes like {@code Image.resize((w, h), Image.BICUBIC)}; the same size returns a copy, as Pillow does. */
	public static RgbImage resize(RgbImage in, ImageSize out) {
		int inW = in.widthPx();
		int inH = in.heightPx();
		int outW = out.widthPx();
		int outH = out.heightPx();
		if (inW == outW && inH == outH) {
			return new RgbImage(in.rgb().clone(), in.size());
		}
		Coefficients horizontal = Coefficients.of(inW, outW);
		Coefficients vertical = Coefficients.of(inH, outH);
		boolean parallel = out.pixels() >= PARALLEL_MIN_PIXELS && Runtime.getRuntime().availableProcessors() > 1;
		byte[] src = in.rgb();
		int srcH = inH;
		int rowOffset = 0;
		if (inW != outW) {
			// Only the source rows the vertical pass will read are resampled horizontally.
			int first = vertical.bounds[0];
			int last = vertical.bounds[(outH - 1) * 2] + vertical.bounds[(outH - 1) * 2 + 1];
			if (inH == outH) {
				first = 0;
				last = inH;
			}
			byte[] tmp = new byte[(last - first) * outW * 3];
			int from = first;
			rows(last - first, parallel, y -> horizontalRow(src, inW, from + y, tmp, outW, y, horizontal));
			return inH == outH ? new RgbImage(tmp, out) : verticalPass(tmp, outW, first, vertical, out, parallel);
		}
		return verticalPass(src, inW, rowOffset, vertical, out, parallel);
	}

	private static RgbImage verticalPass(byte[] src, int width, int firstRow, Coefficients vertical, ImageSize out,
			boolean parallel) {
		byte[] dst = new byte[out.widthPx() * out.heightPx() * 3];
		rows(out.heightPx(), parallel, y -> verticalRow(src, width, firstRow, dst, y, vertical));
		return new RgbImage(dst, out);
	}

	private static void rows(int count, boolean parallel, java.util.function.IntConsumer row) {
		IntStream range = IntStream.range(0, count);
		(parallel ? range.parallel() : range).forEach(row);
	}

	private static void horizontalRow(byte[] src, int srcW, int srcY, byte[] dst, int dstW, int dstY,
			Coefficients c) {
		int srcRow = srcY * srcW * 3;
		int dstRow = dstY * dstW * 3;
		int[] kk = c.kk;
		int ksize = c.ksize;
		for (int xx = 0; xx < dstW; xx++) {
			int xmin = c.bounds[xx * 2];
			int xmax = c.bounds[xx * 2 + 1];
			int k = xx * ksize;
			int ss0 = 1 << (PRECISION_BITS - 1);
			int ss1 = ss0;
			int ss2 = ss0;
			int p = srcRow + xmin * 3;
			for (int x = 0; x < xmax; x++, p += 3) {
				int w = kk[k + x];
				ss0 += (src[p] & 0xFF) * w;
				ss1 += (src[p + 1] & 0xFF) * w;
				ss2 += (src[p + 2] & 0xFF) * w;
			}
			dst[dstRow + xx * 3] = clip8(ss0);
			dst[dstRow + xx * 3 + 1] = clip8(ss1);
			dst[dstRow + xx * 3 + 2] = clip8(ss2);
		}
	}

	private static void verticalRow(byte[] src, int width, int firstRow, byte[] dst, int yy, Coefficients c) {
		int ymin = c.bounds[yy * 2] - firstRow;
		int ymax = c.bounds[yy * 2 + 1];
		int k = yy * c.ksize;
		int rowBytes = width * 3;
		int dstRow = yy * rowBytes;
		int[] acc = new int[rowBytes];
		java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
		// Row by row over the source keeps the reads sequential; the sums are the same integers as Pillow's.
		for (int y = 0; y < ymax; y++) {
			int w = c.kk[k + y];
			int p = (ymin + y) * rowBytes;
			for (int i = 0; i < rowBytes; i++) {
				acc[i] += (src[p + i] & 0xFF) * w;
			}
		}
		for (int i = 0; i < rowBytes; i++) {
			dst[dstRow + i] = clip8(acc[i]);
		}
	}

	private static byte clip8(int in) {
		int v = in >> PRECISION_BITS;
		return (byte) (v < 0 ? 0 : Math.min(v, 255));
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

	/** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for one axis. */
	private record Coefficients(int ksize, int[] bounds, int[] kk) {

		static Coefficients of(int inSize, int outSize) {
			double scale = (double) inSize / outSize;
			double filterScale = Math.max(scale, 1.0);
			double support = BICUBIC_SUPPORT * filterScale;
			int ksize = (int) Math.ceil(support) * 2 + 1;
			int[] bounds = new int[outSize * 2];
			int[] kk = new int[outSize * ksize];
			double[] k = new double[ksize];
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
					kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
							: (int) (0.5 + v * (1 << PRECISION_BITS));
				}
				bounds[xx * 2] = xmin;
				bounds[xx * 2 + 1] = xmax;
			}
			return new Coefficients(ksize, bounds, kk);
		}

	}

}
