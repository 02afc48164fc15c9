// The Redis log's two Lua scripts. Every key of a conversation carries the
// same `{conversation}` hash tag, so each script touches one cluster slot and
// runs atomically: the duplicate check, the counter bump, the XADD and trim,
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

/** KEYS log stream; ARGV epoch. Makes the log if it is new; returns its epoch. */
export const OPEN_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
	epoch = ARGV[1]
	redis.call('DEL', KEYS[2])
	redis.call('HSET', KEYS[1], 'epoch', epoch, 'last', 0, 'time', 0)
end
return epoch
`;

/** How each message is passed to the append script: a digit of its `kinds` argument, the sum of these bits. */
export const APPEND_HAS_ID = 1;
export const APPEND_ACTION = 2;

/**
 * KEYS log stream, then the id key of each message that has an id; ARGV
 * epoch maxlen idTtlMs channel header seenEpoch seenSeq roomPart kinds, then
 * per message: user msg (their JSON strings), and idJson fingerprint when it
 * has an id. `kinds` has one digit per message (APPEND_HAS_ID +
 * APPEND_ACTION); '' channel = no publish; roomPart is the events' `,"room":R`
 * or ''. The stream value `[time,"user","msg"(,"id"|null(,1))]` and the
 * event frame are both put together here, so the text travels once.
 * seenEpoch/seenSeq: the newest seq the caller has seen in this log ('' and 0
 * for none). A counter below it in that epoch went back (a failover lost
 * writes no replica had confirmed, so none was acknowledged): the log takes a
 * new epoch (ARGV[1]) rather than hand out those seqs again. It keeps its
 * entries, which are the same messages under the same seqs, and an id stored
 * under the previous epoch at or below its last seq is still known, so a
 * resend is still a duplicate.
 * The stream is trimmed to maxlen once per call, not by each XADD: an exact
 * trim walks the stream's oldest node from its start, and once per entry
 * that was the dearest part of an add.
 * Publishes once per call: the header, then the stored messages' frames one after
 * another (each ends with a newline), so a turn's burst is one message on the
 * channel, not one per message.
 * Returns one flat array: epoch, time, then per message its seq when stored,
 * 0 for a conflict, or minus its seq followed by its time for a duplicate.
 */
export const APPEND_SCRIPT = `
local log = redis.call('HMGET', KEYS[1], 'epoch', 'last', 'time', 'previous', 'previousLast')
local epoch, last, lastTime, previous, previousLast = log[1], tonumber(log[2]), tonumber(log[3]), log[4], tonumber(log[5] or '0')
if not epoch then
	epoch, last, lastTime = ARGV[1], 0, 0
	redis.call('DEL', KEYS[2])
	redis.call('HSET', KEYS[1], 'epoch', epoch)
elseif epoch == ARGV[6] and last < tonumber(ARGV[7]) then
	redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'previous', epoch, 'previousLast', last)
	previous, previousLast, epoch = epoch, last, ARGV[1]
end
local clock = redis.call('TIME')
local time = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if time < lastTime then time = lastTime end
local stamp = string.format('%d', time)
local valueStart = '[' .. stamp .. ','
local positionEnd = ',"epoch":"' .. epoch .. '","time":' .. stamp
local publishing = ARGV[4] ~= ''
local roomPart = ARGV[8]
local kinds = ARGV[9]
local results = {epoch, time}
local published = {ARGV[5]}
local at = 10
local nextKey = 3
for index = 1, #kinds do
	local kind = string.byte(kinds, index) - 48
	local user, msg = ARGV[at], ARGV[at + 1]
	at = at + 2
	local idJson, print, idKey
	local seen = false
	if kind % 2 == 1 then
		idJson, print, idKey = ARGV[at], ARGV[at + 1], KEYS[nextKey]
		at = at + 2
		nextKey = nextKey + 1
		seen = redis.call('GET', idKey)
	end
	local seenEpoch, seenSeq, seenTime, seenPrint
	if seen then seenEpoch, seenSeq, seenTime, seenPrint = string.match(seen, '^(%S+) (%d+) (%d+) (%S+)$') end
	if seen and (seenEpoch == epoch or (seenEpoch == previous and tonumber(seenSeq) <= previousLast)) then
		if seenPrint == print then
			results[#results + 1] = -tonumber(seenSeq)
			results[#results + 1] = tonumber(seenTime)
		else
			results[#results + 1] = 0
		end
	else
		last = last + 1
		local seq = string.format('%d', last)
		local action = kind >= 2
		local value
		if idJson then value = valueStart .. user .. ',' .. msg .. ',' .. idJson .. (action and ',1]' or ']')
		else value = valueStart .. user .. ',' .. msg .. (action and ',null,1]' or ']') end
		redis.call('XADD', KEYS[2], seq, 'v', value)
		if idKey then redis.call('SET', idKey, epoch .. ' ' .. seq .. ' ' .. stamp .. ' ' .. print, 'PX', ARGV[3]) end
		if publishing then
			local n = #published
			published[n + 1] = '{"cmd":"message","user":'
			published[n + 2] = user
			published[n + 3] = ',"msg":'
			published[n + 4] = msg
			published[n + 5] = ',"seq":'
			published[n + 6] = seq
			published[n + 7] = positionEnd
			n = n + 7
			if idJson then
				published[n + 1] = ',"id":'
				published[n + 2] = idJson
				n = n + 2
			end
			published[n + 1] = roomPart
			published[n + 2] = action and ',"action":true}\\n' or '}\\n'
		end
		results[#results + 1] = last
	end
end
redis.call('HSET', KEYS[1], 'last', string.format('%d', last), 'time', stamp)
redis.call('XTRIM', KEYS[2], 'MAXLEN', ARGV[2])
if #published > 1 then redis.call('SPUBLISH', ARGV[4], table.concat(published)) end
return results
`;
