package dev.sightline.agent.security;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Carries a task's secret values from the process that accepted the task to the one that runs it, which may be
 * another replica (Redis mode) or the same replica after a worker crash elsewhere. {@link SecretVault} stays the only
 * place a running task reads them from; this only refills it.
 */
public interface SecretHandOff {

	/** Embedded mode: the accepting process runs the task, so its {@link SecretVault} is enough. */
	static SecretHandOff inProcess() {
		return InProcessSecretHandOff.INSTANCE;
	}

	/**
	 * Whether the accepting process keeps the values in its own vault: only where it is the one that runs the task.
	 * Otherwise the values live nowhere in the clear but in the memory of the worker running the task.
	 */
	boolean runsWhereAccepted();

	/** Empty when tasks with secrets can be accepted; otherwise why not, for a 503 that names the missing setting. */
	Optional<String> unavailable();

	/** Makes {@code secrets} fetchable by any process for {@code ttl}; replaces what the task had. */
	void publish(String taskId, Map<String, String> secrets, Duration ttl);

	/**
	 * The secrets published for the task, if they are still there.
	 *
	 * @throws UnreadableSecretsException when they are there but this process cannot read them
	 */
	Optional<Map<String, String>> fetch(String taskId);

	/** Removes the task's secrets, once it has ended or will never run; nothing happens when there are none. */
	void delete(String taskId);

	/** Why a task whose secrets this process does not hold, and {@link #fetch} did not find, cannot run. */
	String whyMissing();

}
