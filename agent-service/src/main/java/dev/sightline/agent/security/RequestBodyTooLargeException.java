package dev.sightline.agent.security;

import java.io.IOException;

/**
 * A request body passed the limit while it was being read (chunked bodies have no Content-Length to check first).
 * An {@link IOException} so it travels through readers and JSON parsers to the API's error mapping, which answers 413.
 */
public final class RequestBodyTooLargeException extends IOException {

	private final long limitBytes;

	RequestBodyTooLargeException(long limitBytes) {
		super("request body is larger than the limit of " + limitBytes + " bytes");
		this.limitBytes = limitBytes;
	}

	public long limitBytes() {
		return limitBytes;
	}

}
