package dev.sightline.agent.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written byte for byte over a socket: request targets exactly as an attacker sends them (no client
 * normalizes {@code /%61pi} or {@code //api}), any Host and Origin, chunked bodies of any size.
 */
final class RawHttp {

	/** Status line, headers and body of one answer (the connection is closed after it). */
	record Response(int status, String head, String body) {

		String header(String name) {
			for (String line : head.split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
					return line.substring(colon + 1).strip();
				}
			}
			return null;
		}

		boolean isProblem() {
			String type = header("Content-Type");
			return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/problem+json")
					&& body.contains("\"status\":" + status);
		}

		@Override
		public String toString() {
			return head + "\n\n" + body;
		}

	}

	private final int port;

	RawHttp(int port) {
		this.port = port;
	}

	Response get(String target, String... headers) throws IOException {
		return send("GET", target, null, headers);
	}

	Response send(String method, String target, String body, String... headers) throws IOException {
		StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
		boolean hasHost = false;
		for (String header : headers) {
			hasHost |= header.regionMatches(true, 0, "Host:", 0, 5);
			request.append(header).append("\r\n");
		}
		if (!hasHost) {
			request.append("Host: 127.0.0.1:").append(port).append("\r\n");
		}
		if (body != null) {
			request.append("Content-Type: application/json\r\nContent-Length: ")
				.append(body.getBytes(StandardCharsets.UTF_8).length)
				.append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		if (body != null) {
			request.append(body);
		}
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(30_000);
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			return read(socket.getInputStream());
		}
	}

	/**
	 * A chunked JSON body of {@code totalBytes} (no Content-Length): a JSON string that keeps going. Writing stops at
	 * the first failure, when the server has answered and closed.
	 */
	Response chunked(String method, String target, long totalBytes, String... headers) throws IOException {
		StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
		for (String header : headers) {
			head.append(header).append("\r\n");
		}
		head.append("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[64 * 1024];
			java.util.Arrays.fill(chunk, (byte) 'x');
			chunk[0] = '{';
			chunk[1] = '"';
			chunk[2] = 'g';
			chunk[3] = '"';
			chunk[4] = ':';
			chunk[5] = '"';
			try {
				for (long sent = 0; sent < totalBytes; sent += chunk.length) {
					out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
					out.write(chunk);
					out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
					chunk[0] = 'x';
					for (int i = 1; i < 6; i++) {
						chunk[i] = 'x';
					}
				}
				out.write("1\r\n\"\r\n1\r\n}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			catch (IOException serverClosed) {
				// The server answered before the body ended; read what it said.
			}
			return read(socket.getInputStream());
		}
	}

	private static Response read(InputStream in) throws IOException {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		try {
			in.transferTo(all);
		}
		catch (IOException reset) {
			// A reset after the answer still leaves the answer.
		}
		String text = all.toString(StandardCharsets.UTF_8);
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			throw new IOException("no HTTP answer: '" + text + "'");
		}
		String head = text.substring(0, end);
		String body = text.substring(end + 4);
		int status = Integer.parseInt(head.substring(9, 12));
		return new Response(status, head, body);
	}

}
