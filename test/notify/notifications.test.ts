// What a mention or direct message is announced with: the bell where you are
// looking, a desktop notification (OSC 777 or OSC 9, through tmux inside it)
// where you are not; and the notification's text, made from hostile names and
// messages, holds nothing a terminal could act on.
import {describe, expect, it} from 'vitest';
import {alertOutput, MIN_DESKTOP_INTERVAL_MS, type Alert, type AlertContext} from '../../source/notify/alert.js';
import {focusReport} from '../../source/notify/focus.js';
import {notificationText} from '../../source/notify/notification-text.js';
import {resolveNotifyMethod} from '../../source/notify/notify-method.js';
import {newestAlert} from '../../source/notify/newest-alert.js';
import {desktopNotification, throughTmux} from '../../source/notify/sequences.js';
import {chatReducer, initialState, type ChatAction, type ChatState} from '../../source/state/index.js';
import {hostileNames, hostileStrings, rawControls} from '../helpers/hostile-strings.js';

const mention: Alert = {id: 7, kind: 'mention', conversation: '#lobby', where: '#lobby', from: 'bob', text: 'ann: the build is red'};
const away: AlertContext = {output: {sequence: 'osc777', tmux: false}, focused: false, shown: '#lobby', now: 10_000, lastDesktopAt: Number.NEGATIVE_INFINITY};

/** Every byte a terminal or the sequence's parser could act on inside a notification's text. */
const unsafeInText = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('the notification text', () => {
	it.each([...hostileStrings, ...hostileNames].map(entry => [entry.name, entry.text] as const))('%s: nothing unsafe, short', (_name, text) => {
		for (const limit of [32, 120]) {
			const shown = notificationText(text, limit);
			expect(shown).not.toMatch(unsafeInText);
			expect([...new Intl.Segmenter().segment(shown)].length).toBeLessThanOrEqual(limit + 1);
		}
	});

	it('drops every raw control, and turns line breaks into spaces', () => {
		for (const control of rawControls) expect(notificationText(`a${control}b`, 20)).toMatch(/^a ?b$/);
		expect(notificationText('one\ntwo\r\n\tthree', 40)).toBe('one two three');
		expect(notificationText('x'.repeat(50), 10)).toBe('x'.repeat(10) + '…');
		// A megabyte costs no more than its first characters.
		expect(notificationText('y'.repeat(1_000_000), 10)).toBe('y'.repeat(10) + '…');
		expect(notificationText('👨‍👩‍👧 family', 3)).toBe('👨👩👧…');
	});

	it('puts hostile names and text into one sequence that nothing can end early', () => {
		for (const {text} of [...hostileStrings, ...hostileNames]) {
			const {write} = alertOutput({...mention, from: text, text, conversation: text, where: text}, {...away, shown: 'elsewhere'});
			// One OSC: its introducer, one BEL at the end, no other ESC, BEL or C1 control.
			expect(write.startsWith('\x1b]777;notify;')).toBe(true);
			expect(write.endsWith('\x07')).toBe(true);
			expect(write.slice(1, -1)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
			// The title is one field: three ";" before the body, none from the name.
			expect(write.slice(0, write.indexOf(' in ')).split(';')).toHaveLength(3);
		}
	});
});

describe('the sequences', () => {
	it('are OSC 777 notify with a title, OSC 9 without, and tmux passthrough with every ESC doubled', () => {
		expect(desktopNotification('osc777', 'bob in #lobby', 'hi; there')).toBe('\x1b]777;notify;bob in #lobby;hi; there\x07');
		expect(desktopNotification('osc777', 'a;b', 'x')).toBe('\x1b]777;notify;a,b;x\x07');
		expect(desktopNotification('osc9', '4;bob', 'hi')).toBe('\x1b]9;4,bob: hi\x07');
		expect(throughTmux('\x1b]9;hi\x07')).toBe('\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\');
	});

	it('read focus reports, and nothing else, as focus', () => {
		expect(focusReport('\x1b[I')).toBe(true);
		expect(focusReport('\x1b[O')).toBe(false);
		expect(focusReport('I')).toBeUndefined();
		expect(focusReport('\x1b[1;5I')).toBeUndefined();
	});
});

describe('what an alert writes', () => {
	it('rings the bell where you are looking, and notifies where you are not', () => {
		expect(alertOutput(mention, {...away, focused: true})).toEqual({write: '\x07', desktop: false});
		expect(alertOutput(mention, away)).toEqual({write: '\x1b]777;notify;bob in #lobby;ann: the build is red\x07', desktop: true});
		// Focused, but another conversation is on screen.
		expect(alertOutput(mention, {...away, focused: true, shown: '#ops'}).desktop).toBe(true);
		expect(alertOutput({...mention, kind: 'direct', conversation: '@bob', where: 'bob'}, away).write).toBe('\x1b]777;notify;bob, to you;ann: the build is red\x07');
	});

	it('falls back to the bell, goes through tmux, and says nothing when off', () => {
		expect(alertOutput(mention, {...away, output: {sequence: 'bell', tmux: false}})).toEqual({write: '\x07', desktop: false});
		expect(alertOutput(mention, {...away, output: {sequence: 'osc9', tmux: true}}).write).toBe('\x1bPtmux;\x1b\x1b]9;bob in #lobby: ann: the build is red\x07\x1b\\\x07');
		expect(alertOutput(mention, {...away, output: {sequence: 'off', tmux: false}})).toEqual({write: '', desktop: false});
		expect(alertOutput(mention, {...away, focused: true, output: {sequence: 'off', tmux: false}}).write).toBe('');
	});

	it('notifies at most once in MIN_DESKTOP_INTERVAL_MS (the hook keeps the time per conversation)', () => {
		expect(alertOutput(mention, {...away, lastDesktopAt: away.now - MIN_DESKTOP_INTERVAL_MS + 1}).write).toBe('');
		expect(alertOutput(mention, {...away, lastDesktopAt: away.now - MIN_DESKTOP_INTERVAL_MS}).desktop).toBe(true);
	});
});

describe('choosing the sequence', () => {
	it('knows the terminals that show one, and rings the bell elsewhere', () => {
		expect(resolveNotifyMethod('auto', {TERM_PROGRAM: 'WezTerm'})).toEqual({sequence: 'osc777', tmux: false});
		expect(resolveNotifyMethod('auto', {TERM: 'foot'})).toEqual({sequence: 'osc777', tmux: false});
		expect(resolveNotifyMethod('auto', {TERM_PROGRAM: 'iTerm.app'})).toEqual({sequence: 'osc9', tmux: false});
		// Inside tmux, TERM_PROGRAM is tmux's; the terminal's own variables are still there.
		expect(resolveNotifyMethod('auto', {TERM_PROGRAM: 'tmux', TMUX: '/tmp/tmux-1/default,1,0', ITERM_SESSION_ID: 'w0t0p0'})).toEqual({sequence: 'osc9', tmux: true});
		expect(resolveNotifyMethod('auto', {TERM: 'xterm-256color'})).toEqual({sequence: 'bell', tmux: false});
		expect(resolveNotifyMethod('auto', {TERM_PROGRAM: '', TMUX: ''})).toEqual({sequence: 'bell', tmux: false});
		expect(resolveNotifyMethod('osc9', {TERM: 'xterm'})).toEqual({sequence: 'osc9', tmux: false});
		expect(resolveNotifyMethod('off', {TERM_PROGRAM: 'WezTerm'})).toEqual({sequence: 'off', tmux: false});
	});
});

describe('the newest alert', () => {
	const said = (user: string, text: string, conversation?: string, backlog = false): ChatAction => ({type: 'message', user, text, time: 1, ...(conversation === undefined ? {} : {conversation}), ...(backlog ? {backlog} : {})});
	const run = (actions: ChatAction[]): ChatState => actions.reduce(chatReducer, initialState({me: 'ann'}));

	it('is the newest mention or direct message of any conversation, on screen or not', () => {
		const onScreen = run([said('bob', 'ann: here')]);
		expect(newestAlert(onScreen)).toMatchObject({kind: 'mention', conversation: '#lobby', where: '#lobby', from: 'bob', text: 'ann: here'});
		const elsewhere = run([{type: 'openConversation', conversation: '#Dev'}, said('bob', 'ann: in dev', '#Dev'), said('carol', 'nothing for you')]);
		expect(newestAlert(elsewhere)).toMatchObject({kind: 'mention', conversation: '#dev', where: '#Dev', text: 'ann: in dev'});
		const direct = run([said('bob', 'ann: in lobby'), said('Bob', 'psst', 'Bob')]);
		expect(newestAlert(direct)).toMatchObject({kind: 'direct', conversation: '@bob', where: 'Bob', from: 'Bob', text: 'psst'});
		// Shown on screen where it came: not announced as if elsewhere.
		expect(alertOutput(newestAlert(direct)!, {...away, focused: true, shown: '@bob'}).write).toBe('\x07');
	});

	it('is none for backlog, your own lines or nothing for you', () => {
		expect(newestAlert(run([said('bob', 'ann: old', undefined, true), said('ann', 'ann: me'), said('bob', 'hi')]))).toBeUndefined();
	});
});
