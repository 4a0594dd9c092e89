package dev.sightline.vision.hub;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small Hugging Face hub on loopback serving one repository from a directory, with the hub's URL layout:
 * {@code /api/models/{repo}/revision/{rev}} (siblings with sizes, blob ids and LFS sha256 of .safetensors files) and
 * {@code /{repo}/resolve/{rev}/{file}} with Range support. Faults can be injected: a connection cut mid-file, a
 * corrupted file, a required token.
 */
final class FakeHub implements AutoCloseable {

	static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

	private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

	private final String repo;

	private final Map<String, byte[]> files = new LinkedHashMap<>();

	private final HttpServer server;

	final List<String> requests = Collections.synchronizedList(new ArrayList<>());

	final List<String> rangeHeaders = Collections.synchronizedList(new ArrayList<>());

	final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());

	/** Files whose next download is cut after this many bytes (once each). */
	final Map<String, Integer> cutOnce = new ConcurrentHashMap<>();

	/** Files served with one byte flipped, while the metadata keeps the true digest. */
	final Set<String> corrupted = ConcurrentHashMap.newKeySet();

	volatile String requiredToken;

	private final AtomicInteger downloads = new AtomicInteger();

	FakeHub(String repo, Path directory) throws IOException {
		this.repo = repo;
		try (var paths = Files.list(directory)) {
			for (Path path : paths.sorted().toList()) {
				files.put(path.getFileName().toString(), Files.readAllBytes(path));
			}
		}
		server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		server.createContext("/", this::handle);
		server.start();
	}

	URI endpoint() {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
	}

	byte[] file(String name) {
		return files.get(name);
	}

	Set<String> fileNames() {
		return files.keySet();
	}

	int downloads() {
		return downloads.get();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			requests.add(path);
			String auth = exchange.getRequestHeaders().getFirst("Authorization");
			authorizations.add(auth == null ? "" : auth);
			if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
				send(exchange, 401, "{\"error\": \"Invalid credentials\"}".getBytes(StandardCharsets.UTF_8));
				return;
			}
			String api = "/api/models/" + repo + "/revision/";
			String resolve = "/" + repo + "/resolve/";
			if (path.startsWith(api)) {
				send(exchange, 200, metadata());
			}
			else if (path.startsWith(resolve)) {
				String rest = path.substring(resolve.length());
				String file = rest.substring(rest.indexOf('/') + 1);
				serveFile(exchange, file);
			}
			else {
				send(exchange, 404, "{\"error\": \"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
			}
		}
	}

	private byte[] metadata() throws IOException {
		ObjectMapper json = new ObjectMapper();
		ObjectNode root = json.createObjectNode();
		root.put("id", repo);
		root.put("sha", COMMIT);
		ArrayNode siblings = root.putArray("siblings");
		for (var entry : files.entrySet()) {
			ObjectNode sibling = siblings.addObject();
			sibling.put("rfilename", entry.getKey());
			sibling.put("size", entry.getValue().length);
			sibling.put("blobId", digest("SHA-1", ("blob " + entry.getValue().length + "\0").getBytes(
					StandardCharsets.US_ASCII), entry.getValue()));
			if (entry.getKey().endsWith(".safetensors")) {
				ObjectNode lfs = sibling.putObject("lfs");
				lfs.put("sha256", digest("SHA-256", new byte[0], entry.getValue()));
				lfs.put("size", entry.getValue().length);
				lfs.put("pointerSize", 134);
			}
		}
		return json.writeValueAsBytes(root);
	}

	private void serveFile(HttpExchange exchange, String name) throws IOException {
		byte[] content = files.get(name);
		if (content == null) {
			send(exchange, 404, "{\"error\": \"Entry not found\"}".getBytes(StandardCharsets.UTF_8));
			return;
		}
		downloads.incrementAndGet();
		if (corrupted.contains(name)) {
			content = content.clone();
			content[content.length / 2] ^= 0x5A;
		}
		String range = exchange.getRequestHeaders().getFirst("Range");
		int from = 0;
		if (range != null) {
			rangeHeaders.add(name + " " + range);
			Matcher m = RANGE.matcher(range);
			if (m.matches()) {
				from = Integer.parseInt(m.group(1));
			}
		}
		if (from >= content.length) {
			exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
			exchange.sendResponseHeaders(416, -1);
			return;
		}
		int length = content.length - from;
		exchange.getResponseHeaders().set("ETag", "\"" + name + "\"");
		if (from > 0) {
			exchange.getResponseHeaders().set("Content-Range",
					"bytes " + from + "-" + (content.length - 1) + "/" + content.length);
		}
		exchange.sendResponseHeaders(from > 0 ? 206 : 200, length);
		Integer cut = cutOnce.remove(name);
		OutputStream out = exchange.getResponseBody();
		if (cut != null) {
			out.write(content, from, Math.min(cut, length));
			out.flush();
			// Closing short of Content-Length drops the connection: the client sees a truncated body.
			throw new IOException("fake hub cut the download of " + name + " after " + cut + " bytes");
		}
		out.write(content, from, length);
		out.close();
	}

	private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	static String digest(String algorithm, byte[] prefix, byte[] content) {
		try {
			MessageDigest digest = MessageDigest.getInstance(algorithm);
			digest.update(prefix);
			digest.update(content);
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
