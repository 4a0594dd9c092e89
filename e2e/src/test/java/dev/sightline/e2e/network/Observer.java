package dev.sightline.e2e.network;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an attack page tries to reach: TCP listeners on loopback ({@code 127.0.0.1}, {@code ::1}, and a second
 * loopback address for DNS rebinding) and a UDP socket for STUN, all counting every connection or datagram, whatever
 * protocol it carries. A hit means a byte left the browser for a place the policy denies.
 */
final class Observer implements AutoCloseable {

	private final List<ServerSocket> listeners = new ArrayList<>();

	private final DatagramSocket udp;

	private final AtomicInteger hits = new AtomicInteger();

	private final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());

	private final int port;

	/**
	 * @param rebindAddress a second loopback address to listen on at {@code rebindPort} (the allowed page's port)
	 */
	Observer(InetAddress rebindAddress, int rebindPort) throws IOException {
		ServerSocket main = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
		port = main.getLocalPort();
		listeners.add(main);
		try {
			ServerSocket v6 = new ServerSocket();
			v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), port));
			listeners.add(v6);
		}
		catch (IOException ex) {
			// No IPv6 loopback here: the [::1] forms cannot connect anywhere, which the test still checks.
		}
		listeners.add(new ServerSocket(rebindPort, 50, rebindAddress));
		udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
		for (ServerSocket listener : listeners) {
			Thread.ofVirtual().start(() -> accept(listener));
		}
		Thread.ofVirtual().start(this::receive);
	}

	int port() {
		return port;
	}

	int udpPort() {
		return udp.getLocalPort();
	}

	int hits() {
		return hits.get();
	}

	List<String> seen() {
		return List.copyOf(seen);
	}

	void reset() {
		hits.set(0);
		seen.clear();
	}

	private void accept(ServerSocket listener) {
		while (!listener.isClosed()) {
			try (Socket socket = listener.accept()) {
				hits.incrementAndGet();
				socket.setSoTimeout(500);
				byte[] head = new byte[200];
				int read = 0;
				try {
					read = Math.max(0, socket.getInputStream().read(head));
				}
				catch (IOException ex) {
					// A silent connection is a hit all the same.
				}
				seen.add(listener.getLocalSocketAddress() + " " + new String(head, 0, read, StandardCharsets.ISO_8859_1)
					.lines()
					.findFirst()
					.orElse("(no bytes)"));
				OutputStream out = socket.getOutputStream();
				out.write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nobserved"
					.getBytes(StandardCharsets.ISO_8859_1));
			}
			catch (IOException ex) {
				// Closed, or the client went away.
			}
		}
	}

	private void receive() {
		byte[] buffer = new byte[2048];
		while (!udp.isClosed()) {
			try {
				udp.receive(new DatagramPacket(buffer, buffer.length));
				hits.incrementAndGet();
				seen.add("udp datagram");
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	@Override
	public void close() throws IOException {
		for (ServerSocket listener : listeners) {
			listener.close();
		}
		udp.close();
	}

}
