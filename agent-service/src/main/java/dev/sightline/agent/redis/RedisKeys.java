package dev.sightline.agent.redis;

/**
 * Names of Sightline's keys. Lua scripts build per-task keys from the same prefix ({@link #prefix()}), so the layout
 * is written down once here:
 * <ul>
 * <li>{@code P:task:ID} hash: the task record</li>
 * <li>{@code P:tenant:T} and {@code P:tenant:T:STATUS} sorted sets of task ids by creation time</li>
 * <li>{@code P:finished} sorted set of finished task ids by finish time (retention)</li>
 * <li>{@code P:steps:ID} hash: step number to step JSON; {@code P:shot:ID:N} string: PNG with a TTL</li>
 * <li>{@code P:files:ID:KIND} hash: file name to its description (JSON); {@code P:file:ID:KIND:NAME} string: its
 * content with the screenshots' TTL ({@code KIND} is {@code inputs} or {@code files})</li>
 * <li>{@code P:frames:ID} sorted set of {@code STEP:MS} by capture time: frames sampled between steps;
 * {@code P:frame:ID:STEP:MS} string: the frame's PNG with a TTL</li>
 * <li>{@code P:events:ID} stream of the task's events, entry ids {@code 0-N} from the counter {@code P:event-seq}</li>
 * <li>{@code P:queue} stream of task ids, consumer group {@link #GROUP}</li>
 * <li>{@code P:rate:T} hash: tenant T's request token bucket ({@link RedisRateLimiter})</li>
 * <li>{@code P:approval:ID} hash: why task ID waits for a person, and their decision once made</li>
 * <li>{@code P:secrets:ID} string: task ID's secret values, encrypted, with a TTL, until a worker ends the task</li>
 * </ul>
 */
record RedisKeys(String prefix) {

	static final String GROUP = "workers";

	String task(String id) {
		return prefix + ":task:" + id;
	}

	String steps(String id) {
		return prefix + ":steps:" + id;
	}

	String shot(String id, int n) {
		return prefix + ":shot:" + id + ":" + n;
	}

	String files(String id, String kind) {
		return prefix + ":files:" + id + ":" + kind;
	}

	String file(String id, String kind, String name) {
		return prefix + ":file:" + id + ":" + kind + ":" + name;
	}

	String frames(String id) {
		return prefix + ":frames:" + id;
	}

	String frame(String id, String member) {
		return prefix + ":frame:" + id + ":" + member;
	}

	String events(String id) {
		return prefix + ":events:" + id;
	}

	String tenant(String tenant) {
		return prefix + ":tenant:" + tenant;
	}

	String tenant(String tenant, String status) {
		return prefix + ":tenant:" + tenant + ":" + status;
	}

	String finished() {
		return prefix + ":finished";
	}

	String queue() {
		return prefix + ":queue";
	}

	String approval(String id) {
		return prefix + ":approval:" + id;
	}

	String secrets(String id) {
		return prefix + ":secrets:" + id;
	}

}
