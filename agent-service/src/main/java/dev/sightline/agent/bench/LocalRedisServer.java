package dev.sightline.agent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A throw-away {@code redis-server} for the scale-out bench on a free loopback port, in memory only (the bench measures
 * the queue, not disk sync), stopped by {@link #close()}.
 */
final class LocalRedisServer implements AutoCloseable {

	private final Process process;

	private final int port;

	private final LettuceConnectionFactory factory;

	private LocalRedisServer(Process process, int port, LettuceConnectionFactory factory) {
		this.process = process;
		this.port = port;
		this.factory = factory;
	}

	static LocalRedisServer start(Path dir) throws IOException, InterruptedException {
		String binary = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server")
			.stream()
			.filter(candidate -> Files.isExecutable(Path.of(candidate)))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(
					"the scale-out bench needs redis-server (./sightline installs it with apt as root)"));
		int port = ReplicaProcess.freePort();
		Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
				dir.toString(), "--save", "", "--appendonly", "no", "--protected-mode", "no")
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("redis.log").toFile())
			.start();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.afterPropertiesSet();
		factory.start();
		LocalRedisServer redis = new LocalRedisServer(process, port, factory);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline && process.isAlive()) {
			try {
				if ("PONG".equals(redis.template().execute((RedisCallback<String>) connection -> connection.ping()))) {
					return redis;
				}
			}
			catch (RuntimeException notYetListening) {
				Thread.sleep(100);
			}
		}
		redis.close();
		throw new IllegalStateException("redis-server on port " + port + " did not answer PING in 10 s; see "
				+ dir.resolve("redis.log"));
	}

	int port() {
		return port;
	}

	StringRedisTemplate template() {
		return new StringRedisTemplate(factory);
	}

	@Override
	public void close() {
		factory.destroy();
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
