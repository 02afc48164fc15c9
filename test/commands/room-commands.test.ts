import {describe, expect, it} from 'vitest';
import {interpretLine} from '../../source/commands/parse.js';
import type {CommandContext, CommandDescriptor} from '../../source/commands/types.js';
import type {Feature} from '../../source/protocol/codes.js';

type Context = Omit<CommandContext, 'commands'>;
const withRooms: Context = {me: 'alice', roster: ['alice', 'bob'], supports: () => true};
const seed: Context = {...withRooms, supports: () => false};
const only = (...features: Feature[]): Context => ({...withRooms, supports: feature => features.includes(feature)});
const inRoom = (room: string): Context => ({...withRooms, conversation: {kind: 'room', room}});
const withUser = (name: string): Context => ({...withRooms, conversation: {kind: 'direct', with: name}});

const errorText = (descriptor: CommandDescriptor | undefined) => (descriptor?.type === 'error' ? descriptor.text : `not an error: ${JSON.stringify(descriptor)}`);

describe('/join', () => {
	it('joins a room by name, adding a forgotten #', () => {
		expect(interpretLine('/join #rust', withRooms)).toEqual({type: 'room', action: {kind: 'join', room: '#rust'}});
		expect(interpretLine('/j rust', withRooms)).toEqual({type: 'room', action: {kind: 'join', room: '#rust'}});
	});

	it('refuses a bad room name locally, saying why', () => {
		expect(errorText(interpretLine('/join #no way', withRooms))).toContain('usage: /join #room');
		expect(errorText(interpretLine('/join #a\u200bb', withRooms))).toContain('cannot join #a\u200bb: room name');
		expect(errorText(interpretLine(`/join #${'x'.repeat(33)}`, withRooms))).toContain('longer than 32');
		expect(errorText(interpretLine('/join', withRooms))).toContain('usage');
	});

	it('on a server without rooms says in one line that it has a single room, and sends nothing', () => {
		const text = errorText(interpretLine('/join #rust', seed));
		expect(text).toMatch(/^\/join: this server has a single room/);
		expect(text).not.toContain('\n');
		for (const line of ['/part', '/rooms', '/msg #rust hi']) expect(errorText(interpretLine(line, seed))).toContain('this server has a single room');
	});
});

describe('/part', () => {
	it('leaves the room on screen, or the one named, with a one-line reason', () => {
		expect(interpretLine('/part', inRoom('#rust'))).toEqual({type: 'room', action: {kind: 'part', room: '#rust'}});
		expect(interpretLine('/part bye for now', inRoom('#rust'))).toEqual({type: 'room', action: {kind: 'part', room: '#rust', reason: 'bye for now'}});
		expect(interpretLine('/part #go off\nto lunch', inRoom('#rust'))).toEqual({type: 'room', action: {kind: 'part', room: '#go', reason: 'off to lunch'}});
	});

	it('never parts #lobby, in any spelling', () => {
		expect(errorText(interpretLine('/part', withRooms))).toContain('#lobby cannot be left');
		expect(errorText(interpretLine('/part #LOBBY', inRoom('#rust')))).toContain('#lobby cannot be left');
		expect(errorText(interpretLine('/close', withRooms))).toContain('#lobby cannot be left');
	});

	it('points to /close in a direct conversation', () => {
		expect(errorText(interpretLine('/part', withUser('bob')))).toContain('/close closes this direct conversation');
	});
});

describe('/rooms, /msg, /query, /close', () => {
	it('/rooms lists', () => {
		expect(interpretLine('/rooms', withRooms)).toEqual({type: 'room', action: {kind: 'list'}});
	});

	it('/msg sends to a user directly, or to a room', () => {
		expect(interpretLine('/msg bob hi  there', withRooms)).toEqual({type: 'room', action: {kind: 'direct', to: 'bob', text: 'hi  there'}});
		expect(interpretLine('/msg #rust hello', withRooms)).toEqual({type: 'room', action: {kind: 'say', room: '#rust', text: 'hello'}});
		expect(errorText(interpretLine('/msg bob', withRooms))).toContain('usage: /msg NAME text');
		expect(errorText(interpretLine('/msg b\u0000b hi', withRooms))).toContain('not sent to');
		expect(errorText(interpretLine(`/msg bob ${'x'.repeat(5000)}`, withRooms))).toContain('not sent:');
	});

	it('/msg and /query to a user need the server\'s direct', () => {
		const rooms = only('rooms');
		expect(errorText(interpretLine('/msg bob hi', rooms))).toContain('does not support direct messages');
		expect(errorText(interpretLine('/query bob', rooms))).toContain('does not support direct messages');
		expect(interpretLine('/msg #rust hi', rooms)).toMatchObject({type: 'room'});
	});

	it('/query opens a conversation, sending the text if any', () => {
		expect(interpretLine('/query bob', withRooms)).toEqual({type: 'room', action: {kind: 'query', with: 'bob'}});
		expect(interpretLine('/query bob are you there?', withRooms)).toEqual({type: 'room', action: {kind: 'query', with: 'bob', text: 'are you there?'}});
		expect(errorText(interpretLine('/query #rust', withRooms))).toContain('/join #rust joins a room');
	});

	it('/close hides a direct conversation and leaves a room', () => {
		expect(interpretLine('/close', withUser('bob'))).toEqual({type: 'room', action: {kind: 'close', with: 'bob'}});
		expect(interpretLine('/close', inRoom('#rust'))).toEqual({type: 'room', action: {kind: 'part', room: '#rust'}});
	});

	it('are all in /help', () => {
		const help = interpretLine('/help', withRooms);
		const text = help?.type === 'help' ? help.text : '';
		for (const usage of ['/join #room', '/part [#room] [reason]', '/rooms', '/msg NAME|#room text', '/query NAME [text]', '/close']) expect(text).toContain(usage);
	});
});
