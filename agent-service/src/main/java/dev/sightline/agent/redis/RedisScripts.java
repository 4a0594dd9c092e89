package dev.sightline.agent.redis;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts behind every multi-key change, so a task's record, its tenant indexes and its steps change together
 * or not at all (a script runs atomically, and one that never reached Redis wrote nothing). Each script takes the key
 * prefix as {@code ARGV[1]} and derives the keys of {@link RedisKeys} from it; Sightline therefore needs one Redis
 * (standalone or Sentinel), not a Cluster.
 */
final class RedisScripts {

	private static final String MOVE = """
			local FINAL = {succeeded = true, failed = true, cancelled = true, timed_out = true}
			local function move(p, key, id, from, to)
			  local tenant = redis.call('HGET', key, 'tenant')
			  local created = redis.call('HGET', key, 'createdAt')
			  redis.call('ZREM', p .. ':tenant:' .. tenant .. ':' .. from, id)
			  redis.call('ZADD', p .. ':tenant:' .. tenant .. ':' .. to, created, id)
			  redis.call('HSET', key, 'status', to)
			end
			""";

	private static final String DROP_FRAMES = """
			local function drop_frames(p, id)
			  for _, member in ipairs(redis.call('ZRANGE', p .. ':frames:' .. id, 0, -1)) do
			    redis.call('DEL', p .. ':frame:' .. id .. ':' .. member)
			  end
			  redis.call('DEL', p .. ':frames:' .. id)
			end
			local function drop_files(p, id)
			  for _, kind in ipairs({'inputs', 'files'}) do
			    local index = p .. ':files:' .. id .. ':' .. kind
			    for _, name in ipairs(redis.call('HKEYS', index)) do
			      redis.call('DEL', p .. ':file:' .. id .. ':' .. kind .. ':' .. name)
			    end
			    redis.call('DEL', index)
			  end
			end
			""";

	/** ARGV: prefix, id. Removes a task's files (a submit refused after they were stored). */
	static final RedisScript<Long> DELETE_FILES = RedisScript.of(DROP_FRAMES + """
			drop_files(ARGV[1], ARGV[2])
			return 1
			""", Long.class);

	/** ARGV: prefix, id, tenant, status, spec JSON, created ms. 1 if created, 0 if the id existed. */
	static final RedisScript<Long> CREATE = RedisScript.of("""
			local p, id, tenant = ARGV[1], ARGV[2], ARGV[3]
			local key = p .. ':task:' .. id
			if redis.call('EXISTS', key) == 1 then return 0 end
			redis.call('HSET', key, 'id', id, 'tenant', tenant, 'status', ARGV[4], 'spec', ARGV[5],
			  'createdAt', ARGV[6], 'steps', 0, 'requeues', 0, 'shotBytes', 0)
			redis.call('ZADD', p .. ':tenant:' .. tenant, ARGV[6], id)
			redis.call('ZADD', p .. ':tenant:' .. tenant .. ':' .. ARGV[4], ARGV[6], id)
			return 1
			""", Long.class);

	/** ARGV: prefix, id, started ms. 1 if the task was queued and is now running. */
	static final RedisScript<Long> MARK_STARTED = RedisScript.of(MOVE + """
			local p, id = ARGV[1], ARGV[2]
			local key = p .. ':task:' .. id
			if redis.call('HGET', key, 'status') ~= 'queued' then return 0 end
			move(p, key, id, 'queued', 'running')
			redis.call('HSET', key, 'startedAt', ARGV[3])
			return 1
			""", Long.class);

	/** ARGV: prefix, id, final status, finished ms, has message (1/0), message. 1 unless already final. */
	static final RedisScript<Long> FINISH = RedisScript.of(MOVE + """
			local p, id = ARGV[1], ARGV[2]
			local key = p .. ':task:' .. id
			local current = redis.call('HGET', key, 'status')
			if not current or FINAL[current] then return 0 end
			move(p, key, id, current, ARGV[3])
			redis.call('HSET', key, 'finishedAt', ARGV[4])
			if ARGV[5] == '1' then redis.call('HSET', key, 'message', ARGV[6]) else redis.call('HDEL', key, 'message') end
			redis.call('ZADD', p .. ':finished', ARGV[4], id)
			-- Whoever ended it (worker, cancel, max restarts), no run will need its secrets again.
			redis.call('DEL', p .. ':secrets:' .. id)
			return 1
			""", Long.class);

	/**
	 * ARGV: prefix, id, from, to. 1 if the task was in {@code from} (an unfinished status) and is now in {@code to}:
	 * running ⇄ awaiting approval.
	 */
	static final RedisScript<Long> CHANGE_STATUS = RedisScript.of(MOVE + """
			local p, id = ARGV[1], ARGV[2]
			local key = p .. ':task:' .. id
			if redis.call('HGET', key, 'status') ~= ARGV[3] then return 0 end
			move(p, key, id, ARGV[3], ARGV[4])
			return 1
			""", Long.class);

	/** ARGV: prefix, id, reason, ttl ms. Opens the task's approval gate afresh (a restarted run asks again). */
	static final RedisScript<Long> OPEN_APPROVAL = RedisScript.of("""
			local key = ARGV[1] .. ':approval:' .. ARGV[2]
			redis.call('DEL', key)
			redis.call('HSET', key, 'reason', ARGV[3])
			redis.call('PEXPIRE', key, ARGV[4])
			return 1
			""", Long.class);

	/**
	 * ARGV: prefix, id, approved (1/0), comment. 1 if the task waits at an open gate with no decision yet and this one
	 * is now recorded; 0 otherwise (first decision wins).
	 */
	static final RedisScript<Long> DECIDE_APPROVAL = RedisScript.of("""
			local key = ARGV[1] .. ':approval:' .. ARGV[2]
			if redis.call('HEXISTS', key, 'reason') == 0 or redis.call('HEXISTS', key, 'approved') == 1 then return 0 end
			redis.call('HSET', key, 'approved', ARGV[3], 'comment', ARGV[4])
			return 1
			""", Long.class);

	/**
	 * ARGV: prefix, id, message. Back to queued for a restart from step 1: the recorded steps and screenshots of the
	 * interrupted run are removed, so the new run records each step number once.
	 */
	static final RedisScript<Long> REQUEUE = RedisScript.of(MOVE + DROP_FRAMES + """
			local p, id = ARGV[1], ARGV[2]
			local key = p .. ':task:' .. id
			local current = redis.call('HGET', key, 'status')
			if not current then return 0 end
			local steps = tonumber(redis.call('HGET', key, 'steps')) or 0
			for n = 1, steps do redis.call('DEL', p .. ':shot:' .. id .. ':' .. n) end
			redis.call('DEL', p .. ':steps:' .. id)
			drop_frames(p, id)
			if current ~= 'queued' then move(p, key, id, current, 'queued') end
			redis.call('HSET', key, 'steps', 0, 'shotBytes', 0, 'message', ARGV[3])
			redis.call('HINCRBY', key, 'requeues', 1)
			redis.call('HDEL', key, 'startedAt', 'finishedAt')
			redis.call('ZREM', p .. ':finished', id)
			return 1
			""", Long.class);

	/** ARGV: prefix, id. Removes the task, its indexes, steps, screenshots and events; its shot bytes, or -1. */
	static final RedisScript<Long> DELETE = RedisScript.of(DROP_FRAMES + """
			local p, id = ARGV[1], ARGV[2]
			local key = p .. ':task:' .. id
			local tenant = redis.call('HGET', key, 'tenant')
			if not tenant then return -1 end
			local status = redis.call('HGET', key, 'status')
			local steps = tonumber(redis.call('HGET', key, 'steps')) or 0
			local bytes = tonumber(redis.call('HGET', key, 'shotBytes')) or 0
			for n = 1, steps do redis.call('DEL', p .. ':shot:' .. id .. ':' .. n) end
			drop_frames(p, id)
			drop_files(p, id)
			redis.call('ZREM', p .. ':tenant:' .. tenant, id)
			redis.call('ZREM', p .. ':tenant:' .. tenant .. ':' .. status, id)
			redis.call('ZREM', p .. ':finished', id)
			redis.call('DEL', key, p .. ':steps:' .. id, p .. ':events:' .. id, p .. ':approval:' .. id,
			  p .. ':secrets:' .. id)
			return bytes
			""", Long.class);

	/** ARGV: prefix, id, n, step JSON, screenshot bytes. 1 if recorded, 0 if the task is gone. */
	static final RedisScript<Long> SAVE_STEP = RedisScript.of("""
			local p, id, n = ARGV[1], ARGV[2], tonumber(ARGV[3])
			local key = p .. ':task:' .. id
			if redis.call('EXISTS', key) == 0 then return 0 end
			redis.call('HSET', p .. ':steps:' .. id, ARGV[3], ARGV[4])
			if (tonumber(redis.call('HGET', key, 'steps')) or 0) < n then redis.call('HSET', key, 'steps', n) end
			redis.call('HINCRBY', key, 'shotBytes', ARGV[5])
			return 1
			""", Long.class);

	/**
	 * ARGV: prefix, id, member ({@code STEP:MS}), capture ms, bytes. Indexes a frame whose PNG was just written; 1 if
	 * recorded, 0 if the task is gone (the PNG is then removed).
	 */
	static final RedisScript<Long> SAVE_FRAME = RedisScript.of("""
			local p, id = ARGV[1], ARGV[2]
			local key = p .. ':task:' .. id
			if redis.call('EXISTS', key) == 0 then
			  redis.call('DEL', p .. ':frame:' .. id .. ':' .. ARGV[3])
			  return 0
			end
			redis.call('ZADD', p .. ':frames:' .. id, ARGV[4], ARGV[3])
			redis.call('HINCRBY', key, 'shotBytes', ARGV[5])
			return 1
			""", Long.class);

	/** ARGV: prefix, id, type, data JSON. The event's id, increasing across all tasks. */
	static final RedisScript<Long> APPEND_EVENT = RedisScript.of("""
			local seq = redis.call('INCR', ARGV[1] .. ':event-seq')
			redis.call('XADD', ARGV[1] .. ':events:' .. ARGV[2], '0-' .. seq, 'type', ARGV[3], 'data', ARGV[4])
			return seq
			""", Long.class);

	/** KEYS: events stream. ARGV: first id ({@code 0-N}), count. Flat list: id, type, data, ... */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> EVENTS = RedisScript.of("""
			local out = {}
			for _, e in ipairs(redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])) do
			  local f, t, d = e[2], '', ''
			  for i = 1, #f, 2 do
			    if f[i] == 'type' then t = f[i + 1] elseif f[i] == 'data' then d = f[i + 1] end
			  end
			  table.insert(out, e[1]); table.insert(out, t); table.insert(out, d)
			end
			return out
			""", List.class);

	private static final String FLATTEN = """
			local function flatten(entries)
			  local out = {}
			  for _, e in ipairs(entries) do
			    local f, task, at = e[2], nil, '0'
			    if f then
			      for i = 1, #f, 2 do
			        if f[i] == 'task' then task = f[i + 1] elseif f[i] == 'at' then at = f[i + 1] end
			      end
			    end
			    table.insert(out, e[1]); table.insert(out, task or ''); table.insert(out, at)
			  end
			  return out
			end
			""";

	/** KEYS: queue. ARGV: task id, enqueued ms, most entries. The entry id, or empty when the queue is full. */
	static final RedisScript<String> ENQUEUE = RedisScript.of("""
			if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[3]) then return '' end
			return redis.call('XADD', KEYS[1], '*', 'task', ARGV[1], 'at', ARGV[2])
			""", String.class);

	/** KEYS: queue. ARGV: group. Creates the stream and group if missing. */
	static final RedisScript<Long> CREATE_GROUP = RedisScript.of("""
			local ok = pcall(redis.call, 'XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
			if ok then return 1 end
			return 0
			""", Long.class);

	/** KEYS: queue. ARGV: group, consumer, count. New entries: entry id, task id, enqueued ms, ... */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> READ = RedisScript.of(FLATTEN + """
			local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
			if not r then return {} end
			return flatten(r[1][2])
			""", List.class);

	/** KEYS: queue. ARGV: group, consumer, min idle ms, count. Entries taken over from dead workers, as READ. */
	@SuppressWarnings("rawtypes")
	static final RedisScript<List> AUTOCLAIM = RedisScript.of(FLATTEN + """
			local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', ARGV[4])
			return flatten(r[2])
			""", List.class);

	/**
	 * KEYS: queue. ARGV: group, consumer, entry id. Resets the entry's idle time if this consumer still owns it (1),
	 * else 0: XCLAIM alone would take the entry back from a worker that claimed it meanwhile.
	 */
	static final RedisScript<Long> HEARTBEAT = RedisScript.of("""
			local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
			if #p == 0 then return 0 end
			redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'JUSTID')
			return 1
			""", Long.class);

	/** KEYS: queue. ARGV: group, entry id. Acknowledges and removes the entry. */
	static final RedisScript<Long> ACK = RedisScript.of("""
			local acked = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
			redis.call('XDEL', KEYS[1], ARGV[2])
			return acked
			""", Long.class);

	/** KEYS: queue. ARGV: group. Entries not yet handed to any worker. */
	static final RedisScript<Long> WAITING = RedisScript.of("""
			local length = redis.call('XLEN', KEYS[1])
			local ok, summary = pcall(redis.call, 'XPENDING', KEYS[1], ARGV[1])
			if ok then return length - summary[1] end
			return length
			""", Long.class);

	private RedisScripts() {
	}

}
