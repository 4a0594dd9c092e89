package dev.sightline.agent.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Hands nothing over: in embedded mode the secrets never leave the memory of the one process. */
final class InProcessSecretHandOff implements SecretHandOff {

	static final InProcessSecretHandOff INSTANCE = new InProcessSecretHandOff();

	private InProcessSecretHandOff() {
	}

	@Override
	public boolean runsWhereAccepted() {
		return true;
	}

	@Override
	public Optional<String> unavailable() {
		return Optional.empty();
	}

	@Override
	public void publish(String taskId, Map<String, String> secrets, Duration ttl) {
	}

	@Override
	public Optional<Map<String, String>> fetch(String taskId) {
		return Optional.empty();
	}

	@Override
	public void delete(String taskId) {
	}

	@Override
	public String whyMissing() {
		return "its secrets were held in memory only and a restart lost them; submit the task again";
	}

}
