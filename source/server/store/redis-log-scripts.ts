// The Redis log's two Lua scripts. Every key of a conversation carries the
// same `{conversation}` hash tag, so each script touches one cluster slot and
// runs atomically: the duplicate check, the counter bump, the XADD and trim,
// the id with its TTL and the publish of the event happen together, and the
// channel carries a room's messages in seq order whichever node sent them.
//
// Keys (P = prefix):
//   P{conv}:log     hash    epoch, last (seq), time (ms of the last message), floor (the oldest seq kept;
//                           missing in a log only earlier versions wrote: its oldest entry's seq);
//                           previous, previousLast: the epoch renamed after the counter went back, and its last seq
//   P{conv}:stream  stream  one entry per append call, a block: id "LAST-0" (the seq of its last
//                           message; a block's seqs run without a gap), fields f = the events as
//                           published, one a line, e = the epoch and r = the room field they were
//                           written with. One XADD per call rather than per message: a redis.call
//                           from Lua per message was the dearest part of an append.
//                           Entries of the format before blocks (id "SEQ-0", one field v = JSON
//                           [time, user, msg, id?]) are still read.
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
	redis.call('HSET', KEYS[1], 'epoch', epoch, 'last', 0, 'time', 0, 'floor', 1)
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
 * or ''. The event frames are put together here, so the text travels once;
 * the stored messages' frames are both the stream's block and what is
 * published.
 * seenEpoch/seenSeq: the newest seq the caller has seen in this log ('' and 0
 * for none). A counter below it in that epoch went back (a failover lost
 * writes no replica had confirmed, so none was acknowledged): the log takes a
 * new epoch (ARGV[1]) rather than hand out those seqs again. It keeps its
 * entries, which are the same messages under the same seqs, and an id stored
 * under the previous epoch at or below its last seq is still known, so a
 * resend is still a duplicate.
 * The log keeps the newest maxlen messages: `floor` moves up to the oldest of
 * them, and the blocks wholly below it are trimmed (XTRIM MINID; a block
 * across the floor stays, and readers leave out what lies below it).
 * Publishes once per call: the header, then the block, so a turn's burst is
 * one message on the channel, not one per message.
 * Returns one flat array: epoch, time, then per message its seq when stored,
 * 0 for a conflict, or minus its seq followed by its time for a duplicate.
 */
export const APPEND_SCRIPT = `
local log = redis.call('HMGET', KEYS[1], 'epoch', 'last', 'time', 'previous', 'previousLast', 'floor')
local epoch, last, lastTime, previous, previousLast, floor = log[1], tonumber(log[2]), tonumber(log[3]), log[4], tonumber(log[5] or '0'), tonumber(log[6] or '')
if not epoch then
	epoch, last, lastTime, floor = ARGV[1], 0, 0, 1
	redis.call('DEL', KEYS[2])
	redis.call('HSET', KEYS[1], 'epoch', epoch)
elseif epoch == ARGV[6] and last < tonumber(ARGV[7]) then
	redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'previous', epoch, 'previousLast', last)
	previous, previousLast, epoch = epoch, last, ARGV[1]
end
if not floor then
	-- A log an earlier version wrote, one entry per message under its seq: its floor is its oldest entry's.
	local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
	floor = oldest and tonumber(string.match(oldest[1], '^%d+')) or last + 1
end
local clock = redis.call('TIME')
local time = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if time < lastTime then time = lastTime end
local stamp = string.format('%d', time)
local positionEnd = ',"epoch":"' .. epoch .. '","time":' .. stamp
local roomPart = ARGV[8]
local kinds = ARGV[9]
local results = {epoch, time}
local frames = {}
local n = 0
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
		if idKey then redis.call('SET', idKey, epoch .. ' ' .. seq .. ' ' .. stamp .. ' ' .. print, 'PX', ARGV[3]) end
		frames[n + 1] = '{"cmd":"message","user":'
		frames[n + 2] = user
		frames[n + 3] = ',"msg":'
		frames[n + 4] = msg
		frames[n + 5] = ',"seq":'
		frames[n + 6] = seq
		frames[n + 7] = positionEnd
		n = n + 7
		if idJson then
			frames[n + 1] = ',"id":'
			frames[n + 2] = idJson
			n = n + 2
		end
		frames[n + 1] = roomPart
		frames[n + 2] = kind >= 2 and ',"action":true}\\n' or '}\\n'
		n = n + 2
		results[#results + 1] = last
	end
end
if n > 0 then
	local block = table.concat(frames)
	local seq = string.format('%d', last)
	redis.call('XADD', KEYS[2], seq, 'f', block, 'e', epoch, 'r', roomPart)
	local keep = last - tonumber(ARGV[2]) + 1
	if keep > floor then floor = keep end
	redis.call('HSET', KEYS[1], 'last', seq, 'time', stamp, 'floor', string.format('%d', floor))
	redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d', floor))
	if ARGV[4] ~= '' then redis.call('SPUBLISH', ARGV[4], ARGV[5] .. block) end
end
return results
`;
