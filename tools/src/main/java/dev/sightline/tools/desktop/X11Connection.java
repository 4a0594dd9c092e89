package dev.sightline.tools.desktop;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.sightline.tools.ToolsException;
import dev.sightline.vision.preprocess.RgbImage;

/**
 * A minimal X11 protocol client over the display's local socket: enough to read the root window's pixels
 * ({@code GetImage}) and to move and press the pointer through the XTEST extension. One connection per executor
 * replaces a process start per screenshot or click (ffmpeg, xdotool), which dominated their latency. Only the
 * common TrueColor 24-bit depth with 32 bits per pixel is read; anything else is refused at connect time, so the
 * caller can fall back to the command-line tools.
 */
final class X11Connection implements AutoCloseable {

	private static final int OP_QUERY_EXTENSION = 98;

	private static final int OP_GET_INPUT_FOCUS = 43;

	private static final int OP_GET_IMAGE = 73;

	private static final int XTEST_FAKE_INPUT = 2;

	private static final int Z_PIXMAP = 2;

	private static final int MOTION_NOTIFY = 6;

	/** Largest image we read in one request: a 16384x16384 root at 4 bytes a pixel. */
	private static final long MAX_IMAGE_BYTES = 16384L * 16384 * 4;

	private final SocketChannel channel;

	private final String display;

	private final int root;

	private final int widthPx;

	private final int heightPx;

	private final boolean msbImage;

	private final int redShift;

	private final int greenShift;

	private final int blueShift;

	private final int xtestOpcode;

	private final ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);

	private X11Connection(SocketChannel channel, String display, ByteBuffer setup) {
		this.channel = channel;
		this.display = display;
		// Connection setup reply layout: X Window System Protocol, section 8 "Connection Setup".
		int vendorLength = setup.getShort(24) & 0xFFFF;
		int formatCount = setup.get(29) & 0xFF;
		this.msbImage = setup.get(30) == 1;
		int formats = 40 + pad4(vendorLength);
		int bitsPerPixel24 = 0;
		for (int i = 0; i < formatCount; i++) {
			int at = formats + i * 8;
			if ((setup.get(at) & 0xFF) == 24) {
				bitsPerPixel24 = setup.get(at + 1) & 0xFF;
			}
		}
		int screen = formats + formatCount * 8;
		this.root = setup.getInt(screen);
		this.widthPx = setup.getShort(screen + 20) & 0xFFFF;
		this.heightPx = setup.getShort(screen + 22) & 0xFFFF;
		int rootVisual = setup.getInt(screen + 32);
		int rootDepth = setup.get(screen + 38) & 0xFF;
		if (rootDepth != 24 || bitsPerPixel24 != 32) {
			throw new ToolsException("display " + display + " has depth " + rootDepth + " at " + bitsPerPixel24
					+ " bits per pixel; only depth 24 at 32 bits per pixel is read directly");
		}
		int[] masks = visualMasks(setup, screen, rootVisual);
		this.redShift = shiftOf(masks[0], display);
		this.greenShift = shiftOf(masks[1], display);
		this.blueShift = shiftOf(masks[2], display);
		this.xtestOpcode = queryExtension("XTEST");
	}

	/** Connects to {@code :N} through {@code /tmp/.X11-unix/XN}, with the user's cookie for it when there is one. */
	static X11Connection open(String display) {
		return open(display, XAuthority.cookie(displayNumber(display)));
	}

	/** Connects to {@code :N} presenting {@code cookie} (MIT-MAGIC-COOKIE-1; none when empty). */
	static X11Connection open(String display, byte[] cookie) {
		int number = displayNumber(display);
		Path socket = Path.of("/tmp/.X11-unix/X" + number);
		SocketChannel channel = null;
		try {
			channel = SocketChannel.open(StandardProtocolFamily.UNIX);
			channel.connect(UnixDomainSocketAddress.of(socket));
			byte[] name = cookie.length == 0 ? new byte[0] : XAuthority.MIT_MAGIC_COOKIE.getBytes(StandardCharsets.US_ASCII);
			ByteBuffer request = ByteBuffer.allocate(12 + pad4(name.length) + pad4(cookie.length))
				.order(ByteOrder.LITTLE_ENDIAN);
			request.put((byte) 'l').put((byte) 0).putShort((short) 11).putShort((short) 0);
			request.putShort((short) name.length).putShort((short) cookie.length).putShort((short) 0);
			request.put(name).position(12 + pad4(name.length)).put(cookie).position(request.capacity()).flip();
			writeFully(channel, request);
			ByteBuffer prefix = readFully(channel, 8);
			int status = prefix.get(0);
			int extraBytes = (prefix.getShort(6) & 0xFFFF) * 4;
			ByteBuffer rest = readFully(channel, extraBytes);
			if (status != 1) {
				int reasonLength = prefix.get(1) & 0xFF;
				String reason = new String(rest.array(), 0, Math.min(reasonLength, extraBytes), StandardCharsets.US_ASCII);
				throw new ToolsException("X server " + display + " refused the connection: " + reason.strip());
			}
			ByteBuffer setup = ByteBuffer.allocate(8 + extraBytes).order(ByteOrder.LITTLE_ENDIAN);
			setup.put(prefix.rewind()).put(rest.rewind());
			return new X11Connection(channel, display, setup);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(channel);
			if (ex instanceof ToolsException tools) {
				throw tools;
			}
			throw new ToolsException("cannot connect to X display " + display + " at " + socket + ": " + ex.getMessage(),
					ex);
		}
	}

	static int displayNumber(String display) {
		if (!display.matches(":\\d+(\\.\\d+)?")) {
			throw new IllegalArgumentException("display must look like :N or :N.S, got '" + display + "'");
		}
		int dot = display.indexOf('.');
		return Integer.parseInt(display.substring(1, dot < 0 ? display.length() : dot));
	}

	int widthPx() {
		return widthPx;
	}

	int heightPx() {
		return heightPx;
	}

	/** The root window's pixels, row by row, as interleaved RGB bytes (what the model's processor takes). */
	synchronized RgbImage rootPixels() {
		ByteBuffer request = request(OP_GET_IMAGE, Z_PIXMAP, 5);
		request.putInt(root).putShort((short) 0).putShort((short) 0);
		request.putShort((short) widthPx).putShort((short) heightPx).putInt(0xFFFFFFFF).flip();
		ByteBuffer data = roundTrip(request, "GetImage");
		long expected = (long) widthPx * heightPx * 4;
		if (expected > MAX_IMAGE_BYTES || data.remaining() < expected) {
			throw new ToolsException("GetImage on " + display + " returned " + data.remaining() + " bytes for a "
					+ widthPx + "x" + heightPx + " image (expected " + expected + ")");
		}
		data.order(msbImage ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
		byte[] rgb = new byte[widthPx * heightPx * 3];
		for (int i = 0, at = 0; at < rgb.length; i++) {
			int pixel = data.getInt(i * 4);
			rgb[at++] = (byte) (pixel >>> redShift);
			rgb[at++] = (byte) (pixel >>> greenShift);
			rgb[at++] = (byte) (pixel >>> blueShift);
		}
		return RgbImage.of(rgb, widthPx, heightPx);
	}

	/** Moves the pointer to root coordinates through XTEST. */
	synchronized void movePointer(int xPx, int yPx) {
		fakeInput(MOTION_NOTIFY, 0, xPx, yPx);
	}

	/** Presses ({@code down}) or releases pointer button 1..5 (4/5 are the wheel) through XTEST. */
	synchronized void button(int button, boolean down) {
		fakeInput(down ? 4 : 5, button, 0, 0);
	}

	/** Waits until the server has processed every request sent so far. */
	synchronized void sync() {
		roundTrip(request(OP_GET_INPUT_FOCUS, 0, 1).flip(), "GetInputFocus");
	}

	private void fakeInput(int type, int detail, int xPx, int yPx) {
		ByteBuffer request = request(xtestOpcode, XTEST_FAKE_INPUT, 9);
		request.put((byte) type).put((byte) detail).putShort((short) 0).putInt(0);
		request.putInt(type == MOTION_NOTIFY ? root : 0).putLong(0);
		// xXTestFakeInputReq (36 bytes): rootX, rootY, 4 + 2 + 1 pad bytes, deviceid 0 (the core devices).
		request.putShort((short) xPx).putShort((short) yPx).putInt(0).putShort((short) 0).put((byte) 0).put((byte) 0)
			.flip();
		try {
			writeFully(channel, request);
		}
		catch (IOException ex) {
			throw new ToolsException("X display " + display + " went away during XTEST input: " + ex.getMessage(), ex);
		}
	}

	private int queryExtension(String name) {
		byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
		ByteBuffer request = request(OP_QUERY_EXTENSION, 0, 2 + pad4(bytes.length) / 4);
		request.putShort((short) bytes.length).putShort((short) 0).put(bytes).position(request.capacity()).flip();
		roundTrip(request, "QueryExtension " + name);
		if (header.get(8) == 0) {
			throw new ToolsException("X display " + display + " lacks the " + name + " extension");
		}
		return header.get(9) & 0xFF;
	}

	private static ByteBuffer request(int opcode, int data, int lengthWords) {
		ByteBuffer request = ByteBuffer.allocate(lengthWords * 4).order(ByteOrder.LITTLE_ENDIAN);
		return request.put((byte) opcode).put((byte) data).putShort((short) lengthWords);
	}

	/** Sends a request and reads its reply: the 32-byte header into {@link #header}, the rest returned. */
	private ByteBuffer roundTrip(ByteBuffer request, String what) {
		try {
			writeFully(channel, request);
			header.clear();
			while (header.hasRemaining()) {
				if (channel.read(header) < 0) {
					throw new IOException("connection closed");
				}
			}
			int kind = header.get(0);
			if (kind == 0) {
				throw new ToolsException("X display " + display + " answered " + what + " with error code "
						+ (header.get(1) & 0xFF));
			}
			if (kind != 1) {
				throw new ToolsException("X display " + display + " sent event " + kind + " while " + what
						+ " waited for its reply; no events were selected");
			}
			long extra = (header.getInt(4) & 0xFFFFFFFFL) * 4;
			if (extra > MAX_IMAGE_BYTES) {
				throw new ToolsException("X reply to " + what + " of " + extra + " bytes exceeds " + MAX_IMAGE_BYTES);
			}
			return readFully(channel, (int) extra);
		}
		catch (IOException ex) {
			throw new ToolsException("X display " + display + " went away during " + what + ": " + ex.getMessage(), ex);
		}
	}

	private static int[] visualMasks(ByteBuffer setup, int screen, int visualId) {
		int depthCount = setup.get(screen + 39) & 0xFF;
		int at = screen + 40;
		for (int d = 0; d < depthCount; d++) {
			int visuals = setup.getShort(at + 2) & 0xFFFF;
			at += 8;
			for (int v = 0; v < visuals; v++, at += 24) {
				if (setup.getInt(at) == visualId) {
					return new int[] { setup.getInt(at + 8), setup.getInt(at + 12), setup.getInt(at + 16) };
				}
			}
		}
		throw new ToolsException("the root visual 0x" + Integer.toHexString(visualId) + " is not listed by the server");
	}

	private static int shiftOf(int mask, String display) {
		int shift = Integer.numberOfTrailingZeros(mask);
		if (mask == 0 || mask >>> shift != 0xFF) {
			throw new ToolsException("display " + display + " has colour mask 0x" + Integer.toHexString(mask)
					+ "; only 8-bit channels are read directly");
		}
		return shift;
	}

	private static int pad4(int length) {
		return (length + 3) & ~3;
	}

	private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	private static ByteBuffer readFully(SocketChannel channel, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
		while (buffer.hasRemaining()) {
			if (channel.read(buffer) < 0) {
				throw new IOException("connection closed after " + buffer.position() + " of " + length + " bytes");
			}
		}
		return buffer.flip();
	}

	private static void closeQuietly(SocketChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ignored) {
				// Nothing to do: the connection is being abandoned.
			}
		}
	}

	@Override
	public synchronized void close() {
		closeQuietly(channel);
	}

	/** Whether the display has a local socket; displays reached otherwise are left to the command-line tools. */
	static boolean hasLocalSocket(String display) {
		return Files.exists(Path.of("/tmp/.X11-unix/X" + displayNumber(display)));
	}

}
