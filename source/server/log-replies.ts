// What a connection says for the two commands that touch the room log
// (PROTOCOL.md §9): a `msg` appended to it, and a `history` page read from
// it. The log's failures become `unavailable` with `retry`; their detail
// (file names, Redis errors) goes to the server's log, not to the client.
import {failureStatus} from '../protocol/encoder.js';
import type {Command, StatusFrame} from '../protocol/types.js';
import {LOBBY, type RoomName} from './hub.js';
import {encodeMessageEvent, type MessageEvent} from './store/message-event.js';
import {StoreError, type AppendOutcome, type HistoryQuery, type LogPosition, type MessageLog} from './store/message-log.js';

/** The sender's status for a stored `msg`: where it stands in the log. */
export type MessageStatus = StatusFrame & LogPosition & {duplicate?: true};

/** A `history` success. */
export type HistoryStatus = StatusFrame & {messages: MessageEvent[]; epoch: string; first: number; last: number; more: boolean};

/** Where the detail of a log failure goes: one line, throttled by the server (an outage fails every message). */
export type FailureNote = (text: string) => void;

/** The retry given when the log itself names none (a failed disk write). */
const DEFAULT_RETRY_SECONDS = 1;

/**
 * The `room` field a room's message events carry: none for `#lobby`, so a
 * client that never uses rooms sees the seed's events (plus seq, epoch, time).
 * A room's log is kept under its key; a room not the lobby is named by its key
 * here, where only the key is known (the cluster's log announcing a message).
 */
export function eventRoom(conversation: string): string | undefined {
	return conversation === LOBBY ? undefined : conversation;
}

/** The `room` field of a room's events, as the server spells the room; none for `#lobby`. */
export function roomField(room: RoomName): string | undefined {
	return room.key === LOBBY ? undefined : room.name;
}

export type MessageResult = {
	status: StatusFrame;
	/** Set when the message was stored now: the event to hand to the room, once, encoded when asked (a cluster's hub gets it from its channel instead). */
	stored?: {seq: number; frame: () => Buffer};
};

/** Appends one message to the room's log; resolves after the commit. Only a StoreError is turned into a status. */
export async function appendMessage(log: MessageLog, room: RoomName, message: {user: string; msg: string; id?: string; action?: true}, note: FailureNote): Promise<MessageResult> {
	let outcome: AppendOutcome;
	try {
		outcome = (await log.append([{conversation: room.key, ...message}]))[0]!;
	} catch (error) {
		return {status: unavailable(error, 'message not stored', note)};
	}

	switch (outcome.outcome) {
		case 'stored': {
			const {seq, epoch, time} = outcome;
			const status = positionStatus('sent', outcome);
			const frame = () => Buffer.from(encodeMessageEvent({seq, epoch, time, user: message.user, msg: message.msg, id: message.id, action: message.action}, roomField(room)));
			return {status, stored: {seq, frame}};
		}

		case 'duplicate': {
			const status = positionStatus('sent before', outcome);
			status.duplicate = true;
			return {status};
		}

		case 'conflict': {
			return {status: failureStatus('conflict', 'message id already used for another message: send it with a new id')};
		}

		default: {
			const unknown: never = outcome;
			throw new Error(`unknown append outcome ${JSON.stringify(unknown)}`);
		}
	}
}

/**
 * Written out as one literal: a spread of successStatus() into a wider object
 * cost more than the rest of the append on a busy server (one per message).
 */
function positionStatus(text: string, {seq, epoch, time}: LogPosition): MessageStatus {
	return {success: true, 'error-msg': '', 'success-msg': text, seq, epoch, time};
}

/**
 * Answers a `history` command from the room's log; the caller has checked
 * that the asker is in the room. The log hands the messages over already
 * encoded, and a success is put together around them: the same bytes as
 * encodeFrame() of a HistoryStatus, without an object per message (in our
 * dialect: the 2015 one keeps no history). A failure is a status.
 */
export async function historyReply(log: MessageLog, room: RoomName, command: Extract<Command, {cmd: 'history'}>, note: FailureNote): Promise<StatusFrame | Buffer> {
	const query: HistoryQuery = command.after !== undefined ? {after: command.after} : command.before !== undefined ? {before: command.before} : {};
	let page;
	try {
		page = await log.encodedHistory(room.key, query, roomField(room), command.limit);
	} catch (error) {
		return unavailable(error, 'history not read', note);
	}

	const text = `${page.count} message${page.count === 1 ? '' : 's'}`;
	const head = `{"success":true,"error-msg":"","success-msg":${JSON.stringify(text)},"messages":[`;
	const tail = `],"epoch":${JSON.stringify(page.epoch)},"first":${page.first},"last":${page.last},"more":${page.more}}\n`;
	return Buffer.concat([Buffer.from(head), page.messages, Buffer.from(tail)]);
}

function unavailable(error: unknown, what: string, note: FailureNote): StatusFrame {
	// Anything but the log's own failure is a bug: let the connection's handler see it.
	if (!(error instanceof StoreError)) throw error;
	const retry = error.retry ?? DEFAULT_RETRY_SECONDS;
	note(`message log: ${error.message}`);
	return failureStatus('unavailable', `${what}: the server's message log is unavailable; try again in ${retry} s`, retry);
}
