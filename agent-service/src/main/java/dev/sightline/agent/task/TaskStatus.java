package dev.sightline.agent.task;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Life cycle of a task; the last four are final. */
public enum TaskStatus {

	QUEUED, RUNNING, AWAITING_APPROVAL, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

	@JsonValue
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	@JsonCreator
	public static TaskStatus fromWire(String value) {
		for (TaskStatus status : values()) {
			if (status.wireName().equals(value)) {
				return status;
			}
		}
		throw new IllegalArgumentException("unknown task status '" + value
				+ "' (expected one of queued, running, awaiting_approval, succeeded, failed, cancelled, timed_out)");
	}

	public boolean isFinal() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
	}

}
