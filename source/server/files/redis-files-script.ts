// The Redis file store's one script. A room's file is one hash,
// P{room}:file, with fields name, msg, version, user, time; the `{room}` hash
// tag puts it in the same cluster slot as that room's log. The script reads
// the version, compares it with `base` and writes, atomically: two nodes
// updating the same room at once get one success and one conflict.

export function fileKey(prefix: string, room: string): string {
	return `${prefix}{${room}}:file`;
}

/**
 * KEYS file; ARGV base name msg user now.
 * Returns {1, version, time} when written, {0, version} on a stale base.
 */
export const UPDATE_FILE_SCRIPT = `
local head = redis.call('HMGET', KEYS[1], 'version', 'time')
local version = tonumber(head[1]) or 0
if tonumber(ARGV[1]) ~= version then
	return {0, version}
end
local time = math.max(tonumber(ARGV[5]), tonumber(head[2]) or 0)
version = version + 1
redis.call('HSET', KEYS[1], 'name', ARGV[2], 'msg', ARGV[3], 'version', version, 'user', ARGV[4], 'time', time)
return {1, version, time}
`;
