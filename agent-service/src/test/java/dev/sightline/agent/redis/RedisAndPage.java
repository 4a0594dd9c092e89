package dev.sightline.agent.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.sightline.tools.scripted.ScriptedModelServer;

/**
 * One real Redis and one one-button page on 127.0.0.1 for a whole test class of replicas
 * ({@code @RegisterExtension static final RedisAndPage fixture = new RedisAndPage();}), stopped after it.
 */
final class RedisAndPage implements BeforeAllCallback, AfterAllCallback {

	private RedisSupport redis;

	private HttpServer page;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		redis = RedisSupport.start();
		page = Replicas.page();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		page.stop(0);
		redis.close();
	}

	RedisSupport redis() {
		return redis;
	}

	String pageUrl() {
		return Replicas.url(page);
	}

	String pageHost() {
		return Replicas.hostPort(page);
	}

	/** Properties of a replica under {@code prefix} with its store in {@code dir/name}, allowed to open the page. */
	Map<String, Object> properties(Path dir, String prefix, String role, ScriptedModelServer model, String name)
			throws Exception {
		return Replicas.properties(redis, prefix, role, model.baseUrl(), pageHost(),
				Files.createDirectories(dir.resolve(name)));
	}

}
