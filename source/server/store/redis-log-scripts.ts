// The Redis log's two Lua scripts. Every key of a conversation carries the
// same `{conversation}` hash tag, so each script touches one cluster slot and
// runs atomically: the duplicate check, the counter bump, the capped XADD,
// the id with its TTL and the publish of the event happen together, and the
// channel carries a room's messages in seq order whichever node sent them.
//
// Keys (P = prefix):
//   P{conv}:log     hash    epoch, last (seq), time (ms of the last message);
//                           previous, previousLast: the epoch renamed after the counter went back, and its last seq
//   P{conv}:stream  stream  entry id "SEQ-0", one field v = JSON [time, user, msg, id?]
//                           (one value per entry: a 1,000-entry page is 3,000 strings to parse, not 9,000)
//   P{conv}:id:ID   string  "EPOCH SEQ TIME FINGERPRINT", expires after the id window
// History is read with plain commands in one MULTI (a Lua script would copy
// every entry into Lua and back). A missing `log` hash means a new log: the epoch passed in is taken and any
// stream left behind is deleted, since a new epoch says the old seqs are gone.

export type ConversationKeys = {log: string; stream: string; id(id: string): string};

export function conversationKeys(prefix: string, conversation: string): ConversationKeys {
	const tag = `${prefix}{${conversation}}`;
	return {log: `${tag}:log`, stream: `${tag}:stream`, id: id => `${tag}:id:${id}`};
}

const OPEN_LOG = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
	epoch = ARGV[1]
	redis.call('DEL', KEYS[2])
	redis.call('HSET', KEYS[1], 'epoch', epoch, 'last', 0, 'time', 0)
end
`;

/** KEYS log stream; ARGV epoch. Makes the log if it is new; returns its epoch. */
export const OPEN_SCRIPT = `${OPEN_LOG}
return epoch
`;

/**
 * KEYS log stream id1..idN; ARGV epoch maxlen idTtlMs channel header
 * seenEpoch seenSeq, then per message: id fingerprint head tail entry ('' id
 * = none; '' channel = no publish; entry = the JSON array of the stream value
 * after its time: `"user","msg"]`). seenEpoch/seenSeq: the newest seq the
 * caller has seen in this log ('' and 0 for none). A counter below it in that
 * epoch went back (a failover lost writes no replica had confirmed, so none
 * was acknowledged): the log takes a new epoch (ARGV[1]) rather than hand out
 * those seqs again. It keeps its entries, which are the same messages under
 * the same seqs, and an id stored under the previous epoch at or below its
 * last seq is still known, so a resend is still a duplicate.
 * Publishes once per call: the header, then the stored messages' frames one after
 * another (each ends with a newline), so a turn's burst is one message on the
 * channel, not one per message.
 * Returns {epoch, {status, seq, time}...}: status 0 stored, 1 duplicate, 2 conflict.
 */
export const APPEND_SCRIPT = `${OPEN_LOG}
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
if epoch == ARGV[6] and last < tonumber(ARGV[7]) then
	redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'previous', epoch, 'previousLast', last)
	epoch = ARGV[1]
end
local previous = redis.call('HGET', KEYS[1], 'previous')
local previousLast = tonumber(redis.call('HGET', KEYS[1], 'previousLast') or '0')
local lastTime = tonumber(redis.call('HGET', KEYS[1], 'time'))
local clock = redis.call('TIME')
local time = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if time < lastTime then time = lastTime end
local stamp = string.format('%d', time)
local results = {epoch}
local published = {}
local count = (#ARGV - 7) / 5
for index = 0, count - 1 do
	local at = 8 + index * 5
	local id, print, head, tail, entry = ARGV[at], ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
	local idKey = KEYS[3 + index]
	local seen = false
	if id ~= '' then seen = redis.call('GET', idKey) end
	local seenEpoch, seenSeq, seenTime, seenPrint
	if seen then seenEpoch, seenSeq, seenTime, seenPrint = string.match(seen, '^(%S+) (%d+) (%d+) (%S+)$') end
	if seen and (seenEpoch == epoch or (seenEpoch == previous and tonumber(seenSeq) <= previousLast)) then
		if seenPrint == print then
			results[#results + 1] = {1, tonumber(seenSeq), tonumber(seenTime)}
		else
			results[#results + 1] = {2, 0, 0}
		end
	else
		last = last + 1
		local seq = string.format('%d', last)
		redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-0', 'v', '[' .. stamp .. ',' .. entry)
		if id ~= '' then redis.call('SET', idKey, epoch .. ' ' .. seq .. ' ' .. stamp .. ' ' .. print, 'PX', ARGV[3]) end
		if ARGV[4] ~= '' then
			published[#published + 1] = head .. seq .. ',"epoch":"' .. epoch .. '","time":' .. stamp .. tail
		end
		results[#results + 1] = {0, last, time}
	end
end
redis.call('HSET', KEYS[1], 'last', string.format('%d', last), 'time', stamp)
if #published > 0 then redis.call('SPUBLISH', ARGV[4], ARGV[5] .. table.concat(published)) end
return results
`;
