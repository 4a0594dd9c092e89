package dev.sightline.vision.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP to the hub: its metadata API and {@code /resolve/} downloads. Redirects are followed here rather than by the
 * client so that the token goes to the hub's own host only, never to the storage host a download redirects to.
 */
final class HubHttp {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int MAX_REDIRECTS = 8;

	private final HubSettings settings;

	private final HttpClient client;

	HubHttp(HubSettings settings) {
		this.settings = settings;
		this.client = HttpClient.newBuilder()
			.connectTimeout(settings.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** {@code GET /api/models/{repo}/revision/{revision}?blobs=true}: the commit and every file with its digest. */
	RepoSnapshot snapshot(RepoId repo) {
		URI url = URI.create(settings.endpoint() + "/api/models/" + repo.id() + "/revision/"
				+ URLEncoder.encode(repo.revision(), StandardCharsets.UTF_8) + "?blobs=true");
		try {
			HttpResponse<InputStream> response = get(url, 0);
			try (InputStream body = response.body()) {
				if (response.statusCode() != 200) {
					throw failure(response.statusCode(), "model " + repo, url);
				}
				JsonNode json = JSON.readTree(body);
				return RepoSnapshot.fromJson(repo, json);
			}
		}
		catch (IOException e) {
			throw new HubException("cannot reach the hub at " + settings.endpoint() + " for " + repo + ": " + e
					+ " (set HF_ENDPOINT for a mirror, or HF_HUB_OFFLINE=1 to use the cache only)", e);
		}
	}

	/** The download URL of a file at a commit. */
	URI resolveUrl(RepoId repo, String commit, RepoFile file) {
		StringBuilder path = new StringBuilder();
		for (String segment : file.path().split("/")) {
			path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
		}
		return URI.create(settings.endpoint() + "/" + repo.id() + "/resolve/" + commit + path);
	}

	/** GET from {@code fromByte} on (a Range request when > 0), following redirects. */
	HttpResponse<InputStream> get(URI url, long fromByte) throws IOException {
		URI current = url;
		for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
			HttpRequest.Builder request = HttpRequest.newBuilder(current).GET().timeout(settings.timeout());
			if (fromByte > 0) {
				request.header("Range", "bytes=" + fromByte + "-");
			}
			if (settings.token().isPresent() && sameHost(current, settings.endpoint())) {
				request.header("Authorization", "Bearer " + settings.token().get());
			}
			request.header("User-Agent", "sightline-hub/0.1");
			HttpResponse<InputStream> response;
			try {
				response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while waiting for " + current, e);
			}
			int status = response.statusCode();
			if (status < 300 || status >= 400 || status == 304) {
				return response;
			}
			String location = response.headers().firstValue("Location").orElse(null);
			response.body().close();
			if (location == null) {
				throw new IOException("redirect " + status + " from " + current + " without a Location header");
			}
			current = current.resolve(location);
		}
		throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + url);
	}

	private static boolean sameHost(URI a, URI b) {
		return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
	}

	static HubException failure(int status, String what, URI url) {
		String reason = switch (status) {
			case 401, 403 -> "access refused (HTTP " + status + "): the repository is gated or private; accept its "
					+ "licence on the hub and set HF_TOKEN to a token with read access";
			case 404 -> "not found (HTTP 404): check the model id and revision";
			case 429 -> "rate limited by the hub (HTTP 429): set HF_TOKEN or retry later";
			default -> "the hub answered HTTP " + status;
		};
		return new HubException(what + " at " + url + ": " + reason);
	}

}
