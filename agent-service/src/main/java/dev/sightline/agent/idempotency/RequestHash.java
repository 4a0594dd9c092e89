package dev.sightline.agent.idempotency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SHA-256 of a request in canonical JSON (object members sorted, no whitespace): two bodies that mean the same
 * (members in another order, other spacing) hash alike, so a retry by another client library is recognised.
 */
public final class RequestHash {

	private final JsonMapper canonical;

	public RequestHash(JsonMapper json) {
		this.canonical = json.rebuild().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
	}

	/** Hex SHA-256 of {@code request} (any value Jackson can write) in canonical form. */
	public String of(Object request) {
		JsonNode tree = canonical.valueToTree(request);
		return sha256Hex(canonical.writeValueAsBytes(tree));
	}

	public static String sha256Hex(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every JDK has SHA-256", e);
		}
	}

}
