package dev.sightline.agent.idempotency;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestHashTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@Test
	void replicasWithTheSameSharedKeyHashAlikeAndNotAsAPlainSha256() {
		Map<String, Object> request = Map.of("goal", "Log in", "secrets", Map.of("pw", "hunter2"));
		String shared = "a-shared-secrets-key-of-at-least-32-chars";
		String one = new RequestHash(JSON, RequestHash.keyFromShared(shared)).of(request);
		String other = new RequestHash(JSON, RequestHash.keyFromShared(shared)).of(request);

		assertThat(one).hasSize(64).isEqualTo(other);
		assertThat(one).isNotEqualTo(RequestHash.sha256Hex(
				"{\"goal\":\"Log in\",\"secrets\":{\"pw\":\"hunter2\"}}".getBytes(StandardCharsets.UTF_8)));
		assertThat(new RequestHash(JSON, RequestHash.keyFromShared(shared + "x")).of(request)).isNotEqualTo(one);
	}

	@Test
	void theKeyInTheDataDirectoryIsMadeOnceAndKept() throws Exception {
		byte[] first = RequestHash.keyInDirectory(dir.resolve("data"));
		byte[] again = RequestHash.keyInDirectory(dir.resolve("data"));

		assertThat(first).hasSize(RequestHash.KEY_BYTES).isEqualTo(again);
		assertThat(Files.readAllBytes(dir.resolve("data").resolve(RequestHash.KEY_FILE))).isEqualTo(first);
	}

	@Test
	void refusesACutKeyFileAndAShortKey() throws Exception {
		Files.write(dir.resolve(RequestHash.KEY_FILE), new byte[5]);

		assertThatThrownBy(() -> RequestHash.keyInDirectory(dir)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("must hold 32 bytes, has 5");
		assertThatThrownBy(() -> new RequestHash(JSON, new byte[16])).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("at least 32 bytes, got 16");
	}

}
