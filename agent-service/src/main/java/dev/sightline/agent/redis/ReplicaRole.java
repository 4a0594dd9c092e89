package dev.sightline.agent.redis;

import java.util.Locale;

/** What a replica does in Redis mode ({@code sightline.role}): serve the API, run tasks, or both. */
public enum ReplicaRole {

	API, WORKER, BOTH;

	public static ReplicaRole parse(String value) {
		try {
			return valueOf(value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("sightline.role must be 'api', 'worker' or 'both', got '" + value + "'");
		}
	}

	public boolean runsTasks() {
		return this != API;
	}

}
