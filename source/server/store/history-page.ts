// Turns the rows a backend read for a `history` query into the page §9
// describes: cut to the reply's size budget on the side away from the
// query's anchor, with `more` telling whether the log holds more that way.
import {countWithinBudget, encodeMessageArray} from './message-event.js';
import type {EncodedHistoryPage, HistoryPage, HistoryQuery, StoredMessage} from './message-log.js';

export type LogBounds = {epoch: string; first: number; last: number};

/**
 * `rows`: in seq order; for `after`, the oldest `limit` with seq > after; for
 * `before` or neither, the newest `limit` below the bound.
 */
export function buildPage(conversation: string, query: HistoryQuery, rows: StoredMessage[], bounds: LogBounds): HistoryPage {
	const forward = query.after !== undefined;
	const count = countWithinBudget(rows, conversation, !forward);
	const messages = count === rows.length ? rows : forward ? rows.slice(0, count) : rows.slice(rows.length - count);
	let more = false;
	if (messages.length > 0) more = forward ? messages.at(-1)!.seq < bounds.last : messages[0].seq > bounds.first;
	return {messages, epoch: bounds.epoch, first: bounds.first, last: bounds.last, more};
}

/** A page read as objects, encoded for the reply (the backends that keep objects: memory, Redis). */
export function encodePage({messages, ...bounds}: HistoryPage, room: string | undefined): EncodedHistoryPage {
	return {...bounds, count: messages.length, messages: encodeMessageArray(messages, room)};
}
