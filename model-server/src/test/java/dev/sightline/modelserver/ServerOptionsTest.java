package dev.sightline.modelserver;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerOptionsTest {

	@Test
	void parsesFlagsInBothFormsOverTheEnvironment() {
		ServerOptions options = ServerOptions.parse(List.of("--model", "Qwen/Qwen2.5-VL-3B-Instruct", "--port=9001",
				"--served-model-name", "qwen", "--max-queue", "8", "--max-batch", "4", "--prefill-chunk-tokens=128",
				"--allow-remote-images"),
				Map.of("SIGHTLINE_MODEL_SERVER_PORT", "7000", "SIGHTLINE_MODEL_SERVER_HOST", "0.0.0.0",
						"SIGHTLINE_MODEL_SERVER_API_KEY", "k"));

		assertThat(options.model()).isEqualTo("Qwen/Qwen2.5-VL-3B-Instruct");
		assertThat(options.port()).isEqualTo(9001);
		assertThat(options.host()).isEqualTo("0.0.0.0");
		assertThat(options.apiKey()).hasValue("k");
		assertThat(options.servedModelName()).hasValue("qwen");
		assertThat(options.maxQueue()).isEqualTo(8);
		assertThat(options.maxBatch()).isEqualTo(4);
		assertThat(options.prefillChunkTokens()).isEqualTo(128);
		assertThat(options.allowRemoteImages()).isTrue();
		assertThat(options.toString()).doesNotContain("=k,").contains("apiKey=set");
	}

	@Test
	void usesDocumentedDefaults() {
		ServerOptions options = ServerOptions.parse(List.of("--model", "dir"), Map.of());

		assertThat(options.host()).isEqualTo("127.0.0.1");
		assertThat(options.port()).isEqualTo(8000);
		assertThat(options.apiKey()).isEmpty();
		assertThat(options.prefillChunkTokens()).isEqualTo(512);
		assertThat(options.allowRemoteImages()).isFalse();
	}

	@Test
	void explainsBadFlags() {
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--port", "8000"), Map.of()))
			.hasMessageContaining("--model is required");
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--model", "m", "--port", "http"), Map.of()))
			.hasMessageContaining("--port must be a whole number, got 'http'");
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--model", "m", "--max-queue", "0"), Map.of()))
			.hasMessageContaining("--max-queue must be within [1, 100000], got 0");
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--model", "m", "--image-hosts", "cdn.example"), Map.of()))
			.hasMessageContaining("--image-hosts needs --allow-remote-images");
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--model", "m", "--allow-remote-images", "--image-hosts",
				"http://cdn.example/"), Map.of()))
			.hasMessageContaining("--image-hosts: host entry 'http://cdn.example/'");
		assertThat(ServerOptions.parse(List.of("--model", "m", "--allow-remote-images", "--image-hosts",
				"cdn.example, 127.0.0.1:9000"), Map.of()).imageHosts()).containsExactly("cdn.example", "127.0.0.1:9000");
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--model", "m", "--prefill-chunk-tokens", "8"), Map.of()))
			.hasMessageContaining("--prefill-chunk-tokens must be within [16, 1048576], got 8");
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--model", "m", "--gpus", "2"), Map.of()))
			.hasMessageContaining("unknown option '--gpus'");
		assertThatThrownBy(() -> ServerOptions.parse(List.of("--model"), Map.of()))
			.hasMessageContaining("--model needs a value");
	}


	@Test
	void requiresAKeyWhenListeningBeyondLoopback() {
		for (String host : List.of("127.0.0.1", "::1", "localhost")) {
			ServerOptions.parse(List.of("--model", "dir", "--host", host), Map.of()).requireKeyBeyondLoopback();
		}
		ServerOptions open = ServerOptions.parse(List.of("--model", "dir", "--host", "0.0.0.0"), Map.of());
		assertThatThrownBy(open::requireKeyBeyondLoopback).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("--host 0.0.0.0")
			.hasMessageContaining("--api-key");
		ServerOptions.parse(List.of("--model", "dir", "--host", "0.0.0.0"), Map.of("SIGHTLINE_MODEL_API_KEY", "k"))
			.requireKeyBeyondLoopback();
	}

}
