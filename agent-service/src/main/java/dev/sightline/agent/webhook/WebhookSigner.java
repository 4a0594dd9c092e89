package dev.sightline.agent.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature a receiver checks: {@code v1=} and the hex HMAC-SHA256, under the tenant's secret, of the timestamp
 * header, a dot and the body. Signing the timestamp lets the receiver refuse old deliveries replayed to it.
 */
public final class WebhookSigner {

	public static final String SIGNATURE = "Sightline-Signature";

	public static final String TIMESTAMP = "Sightline-Timestamp";

	public static final String EVENT_ID = "Sightline-Event-Id";

	public static final String EVENT = "Sightline-Event";

	private WebhookSigner() {
	}

	public static String sign(String secret, long timestampSeconds, byte[] body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
			return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException("every JDK has HmacSHA256", e);
		}
	}

}
