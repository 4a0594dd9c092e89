package dev.sightline.agent.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for tests: {@code REDIS_URL} if set; else a Testcontainers Redis when a Docker engine is available;
 * else a local {@code redis-server} binary on a free loopback port with its own temp dir (AOF on), stopped by
 * {@link #close()}. Only the local server can be stopped and restarted by a test ({@link #restartable()}).
 */
public final class RedisSupport implements AutoCloseable {

	private final String host;

	private final int port;

	private final GenericContainer<?> container;

	private final Path dir;

	private Process server;

	private RedisSupport(String host, int port, GenericContainer<?> container, Path dir, Process server) {
		this.host = host;
		this.port = port;
		this.container = container;
		this.dir = dir;
		this.server = server;
	}

	public static RedisSupport start() {
		String url = System.getenv("REDIS_URL");
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url.strip());
			return new RedisSupport(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), null, null, null);
		}
		if (dockerAvailable()) {
			GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379)
				.withCommand("redis-server", "--appendonly", "yes");
			container.start();
			return new RedisSupport(container.getHost(), container.getMappedPort(6379), container, null, null);
		}
		try {
			Path dir = Files.createTempDirectory("sightline-redis-");
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			RedisSupport redis = new RedisSupport("127.0.0.1", port, null, dir, null);
			redis.startLocal();
			return redis;
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot prepare a local redis-server", e);
		}
	}

	private static boolean dockerAvailable() {
		// Probe only where an engine may be, so machines without one don't log Testcontainers' failed search.
		if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))
				&& !Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))) {
			return false;
		}
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError e) {
			return false;
		}
	}

	private void startLocal() {
		String binary = findBinary();
		List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
				"--protected-mode", "no"));
		try {
			server = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
				.start();
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot start " + binary, e);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			if (answersPing()) {
				return;
			}
			if (!server.isAlive()) {
				break;
			}
			sleep(50);
		}
		throw new IllegalStateException("redis-server on port " + port + " did not answer PING in 10 s; see "
				+ dir.resolve("redis.log"));
	}

	private static String findBinary() {
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server",
				"/opt/homebrew/bin/redis-server")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		throw new IllegalStateException("no Redis for the tests: set REDIS_URL, start a Docker engine, or install "
				+ "redis-server (./sightline test installs it with apt)");
	}

	private boolean answersPing() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.read(reply);
			return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
		}
		catch (IOException e) {
			return false;
		}
	}

	/** Whether {@link #stop()} and {@link #startAgain()} work: only for the local redis-server. */
	public boolean restartable() {
		return dir != null;
	}

	/** Stops the local server the way an operator would (SIGTERM: the AOF is flushed). */
	public void stop() {
		requireRestartable();
		server.destroy();
		try {
			if (!server.waitFor(10, TimeUnit.SECONDS)) {
				server.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/** Starts the local server again on the same port and data dir (it reloads the AOF). */
	public void startAgain() {
		requireRestartable();
		startLocal();
	}

	private void requireRestartable() {
		if (!restartable()) {
			throw new IllegalStateException("only a local redis-server can be stopped by a test");
		}
	}

	public String host() {
		return host;
	}

	public int port() {
		return port;
	}

	/** Spring properties that point a replica at this Redis, with a key prefix of its own. */
	public Map<String, Object> properties(String keyPrefix) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("sightline.mode", "redis");
		properties.put("spring.data.redis.host", host);
		properties.put("spring.data.redis.port", port);
		properties.put("sightline.redis.key-prefix", keyPrefix);
		return properties;
	}

	/** A template on a connection of its own; close the factory with {@link #close(StringRedisTemplate)}. */
	public StringRedisTemplate template() {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		factory.afterPropertiesSet();
		factory.start();
		return new StringRedisTemplate(factory);
	}

	public static void close(StringRedisTemplate template) {
		if (template.getConnectionFactory() instanceof LettuceConnectionFactory factory) {
			factory.destroy();
		}
	}

	@Override
	public void close() {
		if (container != null) {
			container.stop();
		}
		if (server != null && server.isAlive()) {
			server.destroyForcibly();
			try {
				server.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
