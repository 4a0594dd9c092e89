package dev.sightline.modelserver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sightline.net.NavigationPolicy;

/**
 * The model server's command line. Flags win over environment variables ({@code SIGHTLINE_MODEL_SERVER_*}), which
 * win over the defaults.
 *
 * @param model checkpoint directory or hub id ({@code --model})
 * @param host interface to listen on ({@code --host}, default 127.0.0.1; 0.0.0.0 in a container)
 * @param port TCP port ({@code --port}, default 8000)
 * @param servedModelName model id in the API ({@code --served-model-name}; default: the folder or hub id)
 * @param apiKey bearer token clients must send ({@code --api-key}) on {@code /v1/*} and {@code /metrics}; may be
 * empty only when {@code host} is a loopback address
 * @param maxQueue requests that may wait for the model before 429 ({@code --max-queue}, default 64)
 * @param maxBatch sequences decoded together ({@code --max-batch}, default 16)
 * @param prefillChunkTokens most prompt tokens one step feeds alongside the running sequences
 * ({@code --prefill-chunk-tokens}, default 512): longer prompts are fed in chunks, so a new request delays the running
 * ones by at most one chunk's pass
 * @param maxRequestBytes largest request body ({@code --max-request-bytes}, default 32 MiB)
 * @param maxImages most images per request, video frames included ({@code --max-images}, default 16)
 * @param maxNewTokens cap on {@code max_tokens}, and its default ({@code --max-new-tokens}, default 2048)
 * @param allowRemoteImages whether {@code image_url} may be an http(s) URL the server fetches
 * ({@code --allow-remote-images}, default off: data URLs only)
 * @param imageHosts with remote images on, the only hosts they may come from ({@code --image-hosts a,b}: {@code host},
 * {@code host:port}, an IP address or a CIDR range such as {@code 10.0.0.0/8}); empty = any public host. Private,
 * loopback and link-local addresses are refused unless an entry names them, on every redirect hop (the browser's
 * navigation policy)
 */
public record ServerOptions(String model, String host, int port, Optional<String> servedModelName,
		Optional<String> apiKey, int maxQueue, int maxBatch, int prefillChunkTokens, long maxRequestBytes, int maxImages, int maxNewTokens,
		boolean allowRemoteImages, List<String> imageHosts) {

	public static final String USAGE = """
			Usage: ModelServer --model DIR_OR_HUB_ID [options]
			  --model DIR_OR_HUB_ID      checkpoint directory, or hub id Org/Name[@revision] (cache, else download);
			                           Qwen2.5-VL or Qwen3-VL, picked from config.json model_type
			  --host HOST                interface to listen on (default 127.0.0.1)
			  --port N                   port (default 8000)
			  --served-model-name NAME   model id in the API (default: folder name or hub id)
			  --api-key KEY              require "Authorization: Bearer KEY" (on /v1/* and /metrics); required
			                             when --host is not a loopback address
			  --max-queue N              requests waiting before 429 (default 64)
			  --max-batch N              sequences decoded together (default 16)
			  --prefill-chunk-tokens N   most prompt tokens fed per step beside running requests (default 512)
			  --max-request-bytes N      largest request body (default 33554432)
			  --max-images N             most images (and video frames) per request (default 16)
			  --max-new-tokens N         cap on max_tokens, and its default (default 2048)
			  --allow-remote-images      let image_url be an http(s) URL that the server fetches
			  --image-hosts H1,H2        with remote images: the only hosts they may come from (host, host:port,
			                             IP address or CIDR range such as 10.0.0.0/8)
			  --dtype auto|fp32|fp16|auto-gpu  dtype policy (default auto: fp32 on CPU, auto-gpu on a GPU)
			  --device auto|cpu|gpu:N    device (default auto; ./sightline picks CPU or CUDA natives to match)
			  --prefix-cache-mb N        KV blocks of earlier prompts kept for reuse (default 1024; 0 = off)
			Environment: SIGHTLINE_MODEL_SERVER_{MODEL,HOST,PORT,API_KEY} (API key also from SIGHTLINE_MODEL_API_KEY,
			the agent's key for this server); HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_ENDPOINT,
			HF_HUB_OFFLINE for the hub.
			""";

	public ServerOptions {
		if (model == null || model.isBlank()) {
			throw new IllegalArgumentException("--model is required: a checkpoint directory or a hub id");
		}
		if (port < 0 || port > 65_535) {
			throw new IllegalArgumentException("--port must be within [0, 65535], got " + port);
		}
		servedModelName = servedModelName.filter(s -> !s.isBlank());
		apiKey = apiKey.filter(s -> !s.isBlank());
		requireRange("--max-queue", maxQueue, 1, 100_000);
		requireRange("--max-batch", maxBatch, 1, 1_024);
		requireRange("--prefill-chunk-tokens", prefillChunkTokens, 16, 1 << 20);
		requireRange("--max-request-bytes", maxRequestBytes, 1_024, 1L << 31);
		requireRange("--max-images", maxImages, 0, 1_024);
		requireRange("--max-new-tokens", maxNewTokens, 1, 1 << 20);
		imageHosts = List.copyOf(imageHosts);
		if (!imageHosts.isEmpty() && !allowRemoteImages) {
			throw new IllegalArgumentException("--image-hosts needs --allow-remote-images: without it no image is fetched");
		}
		try {
			NavigationPolicy.parse(imageHosts);
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("--image-hosts: " + e.getMessage()
					+ " (entries are host, host:port, an IP address or a CIDR range)", e);
		}
	}

	/**
	 * Refuses to serve beyond loopback without a key: anyone who can reach the port could otherwise use the model
	 * (and its remote-image fetcher).
	 * @throws IllegalArgumentException naming the host and how to set a key
	 */
	public void requireKeyBeyondLoopback() {
		if (apiKey.isPresent()) {
			return;
		}
		boolean loopback;
		try {
			loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (java.net.UnknownHostException e) {
			throw new IllegalArgumentException("--host " + host + " does not resolve to an address to listen on");
		}
		if (!loopback) {
			throw new IllegalArgumentException("--host " + host + " listens beyond loopback, so an API key is required: "
					+ "pass --api-key KEY (or set SIGHTLINE_MODEL_SERVER_API_KEY), or listen on 127.0.0.1");
		}
	}

	private static void requireRange(String flag, long value, long min, long max) {
		if (value < min || value > max) {
			throw new IllegalArgumentException(flag + " must be within [" + min + ", " + max + "], got " + value);
		}
	}

	public static ServerOptions defaults(String model) {
		return new ServerOptions(model, "127.0.0.1", 8000, Optional.empty(), Optional.empty(), 64, 16, 512, 32L << 20, 16,
				2048, false, List.of());
	}

	public static ServerOptions parse(List<String> args, Map<String, String> env) {
		Map<String, String> values = new HashMap<>();
		putEnv(values, env, "SIGHTLINE_MODEL_SERVER_MODEL", "--model");
		putEnv(values, env, "SIGHTLINE_MODEL_SERVER_HOST", "--host");
		putEnv(values, env, "SIGHTLINE_MODEL_SERVER_PORT", "--port");
		// The agent's key for the model endpoint doubles as the server's, so one entry of a shared env file (compose,
		// the Helm Secret) sets both sides.
		putEnv(values, env, "SIGHTLINE_MODEL_API_KEY", "--api-key");
		putEnv(values, env, "SIGHTLINE_MODEL_SERVER_API_KEY", "--api-key");
		boolean allowRemote = false;
		List<String> known = List.of("--model", "--host", "--port", "--served-model-name", "--api-key", "--max-queue",
				"--max-batch", "--prefill-chunk-tokens", "--max-request-bytes", "--max-images", "--max-new-tokens",
				"--image-hosts");
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (arg.equals("--allow-remote-images")) {
				allowRemote = true;
				continue;
			}
			String flag = arg;
			String value;
			int eq = arg.indexOf('=');
			if (arg.startsWith("--") && eq > 0) {
				flag = arg.substring(0, eq);
				value = arg.substring(eq + 1);
			}
			else if (i + 1 < args.size()) {
				value = args.get(++i);
			}
			else {
				value = null;
			}
			if (!known.contains(flag)) {
				throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
			}
			if (value == null) {
				throw new IllegalArgumentException(flag + " needs a value");
			}
			values.put(flag, value);
		}
		ServerOptions d = defaults("unset");
		return new ServerOptions(values.getOrDefault("--model", ""), values.getOrDefault("--host", d.host()),
				intFlag(values, "--port", d.port()), Optional.ofNullable(values.get("--served-model-name")),
				Optional.ofNullable(values.get("--api-key")), intFlag(values, "--max-queue", d.maxQueue()),
				intFlag(values, "--max-batch", d.maxBatch()),
				intFlag(values, "--prefill-chunk-tokens", d.prefillChunkTokens()),
				longFlag(values, "--max-request-bytes", d.maxRequestBytes()),
				intFlag(values, "--max-images", d.maxImages()),
				intFlag(values, "--max-new-tokens", d.maxNewTokens()), allowRemote,
				values.containsKey("--image-hosts") ? List.of(values.get("--image-hosts").split(",")).stream()
					.map(String::strip)
					.filter(h -> !h.isEmpty())
					.toList() : List.of());
	}

	private static void putEnv(Map<String, String> values, Map<String, String> env, String key, String flag) {
		String value = env.get(key);
		if (value != null && !value.isBlank()) {
			values.put(flag, value);
		}
	}

	private static int intFlag(Map<String, String> values, String flag, int fallback) {
		return (int) Math.min(Integer.MAX_VALUE, longFlag(values, flag, fallback));
	}

	private static long longFlag(Map<String, String> values, String flag, long fallback) {
		String value = values.get(flag);
		if (value == null) {
			return fallback;
		}
		try {
			return Long.parseLong(value.strip());
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException(flag + " must be a whole number, got '" + value + "'");
		}
	}

	public ServerOptions withPort(int value) {
		return new ServerOptions(model, host, value, servedModelName, apiKey, maxQueue, maxBatch, prefillChunkTokens, maxRequestBytes,
				maxImages, maxNewTokens, allowRemoteImages, imageHosts);
	}

	public ServerOptions withApiKey(String value) {
		return new ServerOptions(model, host, port, servedModelName, Optional.ofNullable(value), maxQueue, maxBatch, prefillChunkTokens,
				maxRequestBytes, maxImages, maxNewTokens, allowRemoteImages, imageHosts);
	}

	public ServerOptions withServedModelName(String value) {
		return new ServerOptions(model, host, port, Optional.ofNullable(value), apiKey, maxQueue, maxBatch, prefillChunkTokens,
				maxRequestBytes, maxImages, maxNewTokens, allowRemoteImages, imageHosts);
	}

	public ServerOptions withMaxQueue(int value) {
		return new ServerOptions(model, host, port, servedModelName, apiKey, value, maxBatch, prefillChunkTokens, maxRequestBytes,
				maxImages, maxNewTokens, allowRemoteImages, imageHosts);
	}

	public ServerOptions withMaxBatch(int value) {
		return new ServerOptions(model, host, port, servedModelName, apiKey, maxQueue, value, prefillChunkTokens, maxRequestBytes,
				maxImages, maxNewTokens, allowRemoteImages, imageHosts);
	}

	public ServerOptions withPrefillChunkTokens(int value) {
		return new ServerOptions(model, host, port, servedModelName, apiKey, maxQueue, maxBatch, value, maxRequestBytes,
				maxImages, maxNewTokens, allowRemoteImages, imageHosts);
	}

	public ServerOptions withImageHosts(List<String> value) {
		return new ServerOptions(model, host, port, servedModelName, apiKey, maxQueue, maxBatch, prefillChunkTokens,
				maxRequestBytes, maxImages, maxNewTokens, allowRemoteImages, value);
	}

	public ServerOptions withLimits(long requestBytes, int images) {
		return new ServerOptions(model, host, port, servedModelName, apiKey, maxQueue, maxBatch, prefillChunkTokens, requestBytes, images,
				maxNewTokens, allowRemoteImages, imageHosts);
	}

	public ServerOptions withAllowRemoteImages(boolean value) {
		return new ServerOptions(model, host, port, servedModelName, apiKey, maxQueue, maxBatch, prefillChunkTokens, maxRequestBytes,
				maxImages, maxNewTokens, value, imageHosts);
	}

	@Override
	public String toString() {
		return "ServerOptions[model=" + model + ", host=" + host + ", port=" + port + ", servedModelName="
				+ servedModelName.orElse("(default)") + ", apiKey=" + (apiKey.isPresent() ? "set" : "unset")
				+ ", maxQueue=" + maxQueue + ", maxBatch=" + maxBatch + ", prefillChunkTokens=" + prefillChunkTokens + ", maxRequestBytes="
				+ maxRequestBytes
				+ ", maxImages=" + maxImages + ", maxNewTokens=" + maxNewTokens + ", allowRemoteImages="
				+ allowRemoteImages + ", imageHosts=" + imageHosts + "]";
	}

}
