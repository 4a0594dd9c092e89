package dev.sightline.agent.security;

/** Handed-off secrets were found but cannot be read (other key, changed value); the task fails instead of retrying. */
public class UnreadableSecretsException extends RuntimeException {

	public UnreadableSecretsException(String message) {
		super(message);
	}

}
