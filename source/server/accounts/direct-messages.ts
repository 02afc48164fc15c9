// Direct messages between two accounts, stored (PROTOCOL.md §10): each pair
// of accounts has one conversation in the room log, with its own seq order,
// that both can read with `history {with}` and find with `conversations`,
// so a message to an account that is offline waits in the log. Between a
// guest and anyone, direct messages stay live only: a guest's name can be
// someone else's tomorrow. This module decides which way a message goes and
// answers the two reading commands; delivering to connections is the
// connection's and the hub's.
import {failureStatus, successStatus} from '../../protocol/encoder.js';
import {nameKey} from '../../protocol/limits.js';
import type {StatusFrame} from '../../protocol/types.js';
import {StoreError, type HistoryQuery, type LogPosition, type MessageLog, type StoredMessage} from '../store/message-log.js';
import type {AccountIdentity, Accounts} from './accounts.js';

/** Log keys of direct conversations start with this; room keys start with `#`, so the two never meet. */
const DIRECT_PREFIX = '@';

/** The retry given when the storage names none. */
const DEFAULT_RETRY_SECONDS = 1;

/** A `conversations` reply lists at most this many, the most recent, so it stays well inside a client's frame limit. */
export const MAX_LISTED_CONVERSATIONS = 1000;

/** Conversation-list writes remembered as done; past this the memory starts again (a few writes are repeated, nothing is lost). */
const MAX_REMEMBERED_LISTINGS = 100_000;

/**
 * The log key of the conversation between two accounts: the same whichever
 * side sends, and another one once either name is deleted and registered
 * again (the registration time is part of it), so nobody inherits a
 * conversation with a name. JSON keeps it unambiguous whatever a name key holds.
 */
export function directConversationKey(a: AccountIdentity, b: AccountIdentity): string {
	const ids = [accountId(a), accountId(b)].sort();
	return DIRECT_PREFIX + JSON.stringify(ids);
}

/** Whether a log key names a stored direct conversation rather than a room (a cluster must not fan it out as a room's). */
export function isDirectConversation(conversation: string): boolean {
	return conversation.startsWith(DIRECT_PREFIX);
}

function accountId(account: AccountIdentity): string {
	return `${account.created.toString(36)}:${account.nameKey}`;
}

/** A stored direct message as every connection receives it, live and in `history {with}`. */
export type DirectMessageEvent = {cmd: 'message'; user: string; to: string; msg: string; seq: number; epoch: string; time: number; id?: string; action?: true};

export function directMessageEvent(message: StoredMessage, to: string): DirectMessageEvent {
	const event: DirectMessageEvent = {cmd: 'message', user: message.user, to, msg: message.msg, seq: message.seq, epoch: message.epoch, time: message.time};
	if (message.id !== undefined) event.id = message.id;
	if (message.action) event.action = true;
	return event;
}

export function encodeDirectMessageEvent(event: DirectMessageEvent): Buffer {
	return Buffer.from(`${JSON.stringify(event)}\n`);
}

/** The sender's status for a stored direct message: where it stands in the conversation. */
export type DirectStatus = StatusFrame & LogPosition & {duplicate?: true};

/** A `history {with}` success. */
export type DirectHistoryStatus = StatusFrame & {messages: DirectMessageEvent[]; epoch: string; first: number; last: number; more: boolean};

/** Which way a direct message goes. */
export type DirectRoute =
	/** Both sides are accounts: stored in `conversation`, then delivered to whoever is online. */
	| {kind: 'stored'; conversation: string; sender: AccountIdentity; recipient: AccountIdentity}
	/** A guest on either side (or no log): delivered live, to online connections only. */
	| {kind: 'live'}
	/** The account storage did not answer: the status to send. */
	| {kind: 'refused'; status: StatusFrame};

export type DirectSend = {
	/** The sender's status; with the message's place in the conversation when it was stored (now or before). */
	status: StatusFrame & Partial<LogPosition>;
	/** Set when the message was stored now: the event, once, for the recipient's and the sender's connections. */
	event?: Buffer;
};

export type DirectMessagesOptions = {
	accounts: Accounts;
	log: MessageLog;
	/** Where a storage failure's detail goes (the client gets `unavailable`). */
	note: (text: string) => void;
};

export class DirectMessages {
	readonly #accounts: Accounts;
	readonly #log: MessageLog;
	readonly #note: (text: string) => void;
	/** Conversation lists already written, as "owner key\0log key": each is written once per process, not per message. */
	readonly #listed = new Set<string>();

	constructor(options: DirectMessagesOptions) {
		this.#accounts = options.accounts;
		this.#log = options.log;
		this.#note = options.note;
	}

	/** `sender` is the sending connection's account (undefined for a guest); `to` the name it wrote. */
	async route(sender: AccountIdentity | undefined, to: string): Promise<DirectRoute> {
		if (!sender) return {kind: 'live'};
		try {
			const recipient = await this.#accounts.identity(to);
			if (!recipient) return {kind: 'live'};
			return {kind: 'stored', conversation: directConversationKey(sender, recipient), sender, recipient};
		} catch (error) {
			return {kind: 'refused', status: this.#unavailable(error, 'message not sent')};
		}
	}

	/**
	 * Stores one message of a `stored` route; resolves after the commit. The
	 * conversation is put on both accounts' lists first, so no committed
	 * message is ever missing from them (a list entry without messages is not shown).
	 */
	async send(route: Extract<DirectRoute, {kind: 'stored'}>, text: string, id: string | undefined, action?: true): Promise<DirectSend> {
		const {conversation, sender, recipient} = route;
		let outcome;
		try {
			await this.#list(sender, recipient, conversation);
			await this.#list(recipient, sender, conversation);
			[outcome] = await this.#log.append([{conversation, user: sender.name, msg: text, id, ...(action && {action})}]);
		} catch (error) {
			return {status: this.#unavailable(error, 'message not stored')};
		}

		switch (outcome!.outcome) {
			case 'stored': {
				const {seq, epoch, time} = outcome!;
				const event = directMessageEvent({seq, epoch, time, user: sender.name, msg: text, id, ...(action && {action})}, recipient.name);
				const status: DirectStatus = {...successStatus(`sent to ${recipient.name}`), seq, epoch, time};
				return {status, event: encodeDirectMessageEvent(event)};
			}

			case 'duplicate': {
				const {seq, epoch, time} = outcome!;
				const status: DirectStatus = {...successStatus('sent before'), seq, epoch, time, duplicate: true};
				return {status};
			}

			case 'conflict': {
				return {status: failureStatus('conflict', 'message id already used for another message: send it with a new id')};
			}

			default: {
				const unknown: never = outcome!;
				throw new Error(`unknown append outcome ${JSON.stringify(unknown)}`);
			}
		}
	}

	/** `history {with: NAME}`: `self` is the asking connection's account, undefined for a guest. */
	async history(self: AccountIdentity | undefined, other: string, query: HistoryQuery, limit: number | undefined): Promise<StatusFrame> {
		if (!self) return failureStatus('forbidden', 'direct messages are kept only between accounts: log in to an account to read them');
		let page;
		let peer: AccountIdentity | undefined;
		try {
			peer = await this.#accounts.identity(other);
			if (!peer) return failureStatus('forbidden', `${other.slice(0, 40)} is not an account, so nothing said with them is kept`);
			page = await this.#log.history(directConversationKey(self, peer), query, limit);
		} catch (error) {
			return this.#unavailable(error, 'history not read');
		}

		const count = page.messages.length;
		const you = self;
		const them = peer;
		const status: DirectHistoryStatus = {
			...successStatus(`${count} message${count === 1 ? '' : 's'} with ${them.name}`),
			// Each message's other side: the sender is one of the two accounts, under its registered name.
			messages: page.messages.map(message => directMessageEvent(message, nameKey(message.user) === you.nameKey ? them.name : you.name)),
			epoch: page.epoch,
			first: page.first,
			last: page.last,
			more: page.more,
		};
		return status;
	}

	/** `conversations`: the account's stored conversations, the most recent first; a guest has none. */
	async conversations(self: AccountIdentity | undefined): Promise<StatusFrame> {
		if (!self) return {...successStatus('no stored conversations: only accounts keep them'), conversations: []};
		let rows: Array<{with: string; last: number; time: number}>;
		try {
			const listed = await this.#accounts.conversations(self);
			const current = listed.filter(({other, conversation}) => conversation === directConversationKey(self, other));
			const newest = await Promise.all(current.map(async ({conversation}) => this.#log.history(conversation, {}, 1)));
			rows = current.map(({other}, index) => ({with: other.name, last: newest[index]!.last, time: newest[index]!.messages.at(-1)?.time ?? 0}));
		} catch (error) {
			return this.#unavailable(error, 'conversations not read');
		}

		const conversations = rows
			.filter(row => row.last > 0)
			.sort((a, b) => b.time - a.time)
			.slice(0, MAX_LISTED_CONVERSATIONS)
			.map(row => ({with: row.with, last: row.last}));
		return {...successStatus(`${conversations.length} conversation${conversations.length === 1 ? '' : 's'}`), conversations};
	}

	async #list(owner: AccountIdentity, other: AccountIdentity, conversation: string): Promise<void> {
		const key = `${owner.nameKey}\0${conversation}`;
		if (this.#listed.has(key)) return;
		await this.#accounts.addConversation(owner, other, conversation);
		if (this.#listed.size >= MAX_REMEMBERED_LISTINGS) this.#listed.clear();
		this.#listed.add(key);
	}

	#unavailable(error: unknown, what: string): StatusFrame {
		// Anything but the storage's own failure is a bug: the connection's handler sees it.
		if (!(error instanceof StoreError)) throw error;
		const retry = error.retry ?? DEFAULT_RETRY_SECONDS;
		this.#note(`direct messages: ${error.message}`);
		return failureStatus('unavailable', `${what}: the server's storage is unavailable; try again in ${retry} s`, retry);
	}
}
