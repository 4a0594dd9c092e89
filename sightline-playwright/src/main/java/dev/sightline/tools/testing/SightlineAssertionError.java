package dev.sightline.tools.testing;

/**
 * The page is not as the test said: an {@link SightlineAi#assertThat} the model judged false, a
 * {@link SightlineAi#waitFor} that timed out, or an {@link SightlineAi#act} the model gave up on. The message holds
 * the model's reason; the screenshot the model judged is attached.
 */
public class SightlineAssertionError extends AssertionError {

	private final String reason;

	private final byte[] screenshotPng;

	public SightlineAssertionError(String message, String reason, byte[] screenshotPng) {
		super(message);
		this.reason = reason;
		this.screenshotPng = screenshotPng.clone();
	}

	/** The model's own words on why the statement does not hold. */
	public String reason() {
		return reason;
	}

	/** The viewport screenshot the model judged, PNG in device pixels. */
	public byte[] screenshotPng() {
		return screenshotPng.clone();
	}

}
