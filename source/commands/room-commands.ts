// /join, /part, /rooms, /msg, /query and /close: rooms and direct
// conversations (PROTOCOL.md §10). Names, texts and the server's features are
// checked here, so what reaches the caller can be sent as it is, and a
// command the server cannot carry out is one local line with nothing sent.
import {messageProblem, usernameProblem} from '../protocol/limits.js';
import {oneLineReason} from '../protocol/reason.js';
import {isLobby, LOBBY, roomProblem} from '../protocol/rooms.js';
import type {CommandContext, CommandDescriptor, ConversationRef, RoomAction, SlashCommand} from './types.js';

const room = (action: RoomAction): CommandDescriptor => ({type: 'room', action});
const error = (text: string): CommandDescriptor => ({type: 'error', text});

/** The first word and the rest, white space between them dropped. */
function firstWord(args: string): {word: string; rest: string} {
	const match = /^\s*(\S*)\s*([\s\S]*)$/.exec(args)!;
	return {word: match[1]!, rest: match[2]!};
}

/** A seed or 2015 server: one room, everyone in it (§8: say so in one line, send nothing). */
function singleRoom(context: CommandContext, what: string, instead: string): CommandDescriptor | undefined {
	return context.supports('rooms') ? undefined : error(`${what}: this server has a single room, which everyone is in (it does not support rooms); ${instead}`);
}

function noDirect(context: CommandContext, what: string): CommandDescriptor | undefined {
	return context.supports('direct') ? undefined : error(`${what}: this server does not support direct messages (it did not list "direct" when we connected); nothing was sent`);
}

const current = (context: CommandContext): ConversationRef => context.conversation ?? {kind: 'room', room: LOBBY};

const lobbyStays = `${LOBBY} cannot be left: every connection is in it (/quit leaves the server)`;

export const joinCommand: SlashCommand = {
	name: 'join',
	altNames: ['j'],
	description: 'join a room (created if nobody is in it) and show it',
	usage: '/join #room',
	action(args, context) {
		const refusal = singleRoom(context, '/join', 'what you type goes to everyone');
		if (refusal) return refusal;
		const {word, rest} = firstWord(args);
		if (word === '' || rest !== '') return error('usage: /join #room (one room, its name starting with #)');
		// "/join rust" means "#rust": the sign is easy to forget and cannot be anything else here.
		const name = word.startsWith('#') ? word : `#${word}`;
		const problem = roomProblem(name);
		return problem ? error(`cannot join ${name}: ${problem}`) : room({kind: 'join', room: name});
	},
};

export const partCommand: SlashCommand = {
	name: 'part',
	altNames: ['leave'],
	description: 'leave a room (the one on screen unless named), with an optional reason',
	usage: '/part [#room] [reason]',
	action(args, context) {
		const refusal = singleRoom(context, '/part', '/quit leaves the server');
		if (refusal) return refusal;
		const {word, rest} = firstWord(args);
		const named = word.startsWith('#');
		const reasonText = named ? rest : args;
		let target: string;
		if (named) {
			const problem = roomProblem(word);
			if (problem) return error(`cannot leave ${word}: ${problem}`);
			target = word;
		} else {
			const shown = current(context);
			if (shown.kind === 'direct') return error('/part leaves a room; /close closes this direct conversation');
			target = shown.room;
		}
		if (isLobby(target)) return error(lobbyStays);
		const reason = oneLineReason(reasonText);
		return room(reason === undefined ? {kind: 'part', room: target} : {kind: 'part', room: target, reason});
	},
};

export const roomsCommand: SlashCommand = {
	name: 'rooms',
	altNames: ['list'],
	description: 'list the rooms on the server with how many are in each',
	usage: '/rooms',
	action(args, context) {
		const refusal = singleRoom(context, '/rooms', '/who lists who is in it');
		if (refusal) return refusal;
		return args.trim() === '' ? room({kind: 'list'}) : error('/rooms takes nothing after it');
	},
};

export const msgCommand: SlashCommand = {
	name: 'msg',
	altNames: ['m'],
	description: 'send a direct message to a user (or a line to a room you are in) without switching to it',
	usage: '/msg NAME|#room text',
	action(args, context) {
		const {word, rest} = firstWord(args);
		if (word === '' || rest.trim() === '') return error('usage: /msg NAME text (or /msg #room text)');
		const problem = messageProblem(rest);
		if (word.startsWith('#')) {
			const refusal = singleRoom(context, '/msg', 'type the line without /msg');
			if (refusal) return refusal;
			const badRoom = roomProblem(word);
			if (badRoom) return error(`not sent to ${word}: ${badRoom}`);
			return problem ? error(`not sent: ${problem}`) : room({kind: 'say', room: word, text: rest});
		}
		const refusal = noDirect(context, '/msg');
		if (refusal) return refusal;
		const badName = usernameProblem(word);
		if (badName) return error(`not sent to ${word}: ${badName}`);
		return problem ? error(`not sent: ${problem}`) : room({kind: 'direct', to: word, text: rest});
	},
};

export const queryCommand: SlashCommand = {
	name: 'query',
	altNames: ['q'],
	description: 'open a direct conversation with a user (and send them the text, if any)',
	usage: '/query NAME [text]',
	action(args, context) {
		const {word, rest} = firstWord(args);
		if (word === '') return error('usage: /query NAME [text]');
		if (word.startsWith('#')) return error(`/query opens a conversation with a user; /join ${word} joins a room`);
		const refusal = noDirect(context, '/query');
		if (refusal) return refusal;
		const badName = usernameProblem(word);
		if (badName) return error(`cannot open a conversation with ${word}: ${badName}`);
		if (rest.trim() === '') return room({kind: 'query', with: word});
		const problem = messageProblem(rest);
		return problem ? error(`not sent: ${problem}`) : room({kind: 'query', with: word, text: rest});
	},
};

export const closeCommand: SlashCommand = {
	name: 'close',
	altNames: [],
	description: 'close the conversation on screen: leaves a room, hides a direct conversation',
	usage: '/close',
	action(args, context) {
		if (args.trim() !== '') return error('/close takes nothing after it; it closes the conversation on screen');
		const shown = current(context);
		if (shown.kind === 'direct') return room({kind: 'close', with: shown.with});
		if (isLobby(shown.room)) return error(lobbyStays);
		return singleRoom(context, '/close', '/quit leaves the server') ?? room({kind: 'part', room: shown.room});
	},
};

export const roomCommands: readonly SlashCommand[] = [joinCommand, partCommand, roomsCommand, msgCommand, queryCommand, closeCommand];
