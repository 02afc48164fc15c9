// Highlight words mention you as your name does: one definition (mentionsMe)
// for the highlight on screen, the unread count and the alert.
import {describe, expect, it} from 'vitest';
import {mentionsMe, mentionsName} from '../../source/state/mentions.js';
import {chatReducer, initialState, selectEntries, selectEntryCount, selectLastEntries, selectUnread, type ChatAction, type ChatState} from '../../source/state/index.js';
import {snapshot} from './snapshot.js';

const t = 1_700_000_000_000;
const connected = (highlights: readonly string[]): ChatState =>
	chatReducer(initialState({me: 'ann', server: 'h:1', highlights}), {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot('ann', ['bob'])});
const message = (text: string, extra: Partial<Extract<ChatAction, {type: 'message'}>> = {}): ChatAction => ({type: 'message', user: 'bob', text, time: t, ...extra});

describe('mentionsMe', () => {
	it('is your name or any highlight word, each as a whole word, ignoring case', () => {
		expect(mentionsMe('hi ann', 'ann', ['deploy'])).toBe(true);
		expect(mentionsMe('DEPLOY done', 'ann', ['deploy'])).toBe(true);
		expect(mentionsMe('who is on call?', 'ann', ['on call'])).toBe(true);
		expect(mentionsMe('redeployed', 'ann', ['deploy'])).toBe(false);
		expect(mentionsMe('deployment', 'ann', ['deploy'])).toBe(false);
		// A word with pattern characters matches only itself.
		expect(mentionsMe('c++ rocks', 'ann', ['c++'])).toBe(true);
		expect(mentionsMe('cc rocks', 'ann', ['c.'])).toBe(false);
		// One word a prefix of another: each is tried.
		expect(mentionsMe('the bobby tables', 'ann', ['bob', 'bobby'])).toBe(true);
		expect(mentionsMe('hello', '', [])).toBe(false);
		expect(mentionsMe('hello', '', ['hello'])).toBe(true);
		// After a change of words, the old ones no longer match.
		expect(mentionsMe('deploy', 'ann', ['release'])).toBe(false);
		expect(mentionsName('deploy', 'ann')).toBe(false);
	});
});

describe('the reducer with highlight words', () => {
	it('marks, counts and keeps the id of a message with a highlight word, as a mention', () => {
		const state = chatReducer(chatReducer(connected(['deploy']), {type: 'scroll', scrolledUp: true}), message('deploy is done'));
		const entry = selectLastEntries(state, 1)[0];
		expect(entry).toMatchObject({kind: 'chat', mention: true});
		expect(selectUnread(state)).toMatchObject({mentions: 1, lastMentionId: entry!.id});
	});

	it('leaves a message without one alone, and marks an older page the same way', () => {
		const plain = chatReducer(connected(['deploy']), message('nothing here'));
		expect(selectUnread(plain).mentions).toBe(0);
		const older = chatReducer(chatReducer(connected(['deploy']), {type: 'olderRequested', time: t}), {type: 'olderLoaded', messages: [{user: 'bob', text: 'deploy?', time: t}]});
		const entries = selectEntries(older, 0, selectEntryCount(older));
		expect(entries.find(entry => entry.kind === 'chat' && entry.text === 'deploy?')).toMatchObject({mention: true, backlog: true});
	});

	it('does not count a word said by you', () => {
		const state = chatReducer(connected(['deploy']), {...message('deploy'), user: 'ann'} as ChatAction);
		expect(selectUnread(state).mentions).toBe(0);
	});
});
