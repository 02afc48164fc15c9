// The status bar: which parts it shows in each phase, and how it fits them
// into its width by leaving whole parts out, least important first.
import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {StatusBar} from '../../source/ui/StatusBar.js';
import {layoutStatusBar} from '../../source/ui/status-bar-layout.js';
import {statusParts} from '../../source/ui/status-text.js';
import {selectStatusLine, type StatusLine} from '../../source/state/selectors.js';
import {textWidth} from '../../source/text/wrap.js';
import {T0, plain, snapshot, stateWith} from './helpers.js';

const connected: StatusLine = {phase: 'connected', server: '127.0.0.1:8080', me: 'alice', userCount: 3, rosterIncomplete: false, lagMs: 12};
const longReason = 'cannot reach 127.0.0.1:8080 (connection refused) — is a server running there? Try `codechat-tui --serve` to host one.';
const reconnecting: StatusLine = {...connected, phase: 'reconnecting', attempt: 3, retryAt: T0 + 4000, reason: longReason};
const bar = (status: StatusLine, width: number) => plain(render(<StatusBar status={status} width={width} now={T0} spinnerFrame={2} />).lastFrame());

describe('the status bar\'s parts', () => {
	it('shows the server, your name, the user count and the lag when connected', () => {
		expect(bar(connected, 80)).toContain('● 127.0.0.1:8080 · alice · 3 users · lag 12 ms');
	});

	it('counts down while reconnecting, with the attempt and why, and no stale user count', () => {
		const {head, tail} = layoutStatusBar(statusParts(reconnecting, T0, 2), 180);
		const text = head + tail;
		expect(text).toContain(`⠹ reconnecting in 4 s, attempt 3 · 127.0.0.1:8080 · alice · ${longReason}`);
		expect(text).not.toMatch(/\d users?\b|lag/);
	});

	it('drops the user count and the roster warning while disconnected', () => {
		const status = {...connected, phase: 'disconnected', reason: 'name alice is taken', rosterIncomplete: true} as const;
		const text = bar(status, 100);
		expect(text).toContain('○ disconnected · 127.0.0.1:8080 · alice · name alice is taken');
		expect(text).not.toMatch(/users|roster/);
	});

	it('says the roster may be incomplete on the 2015 dialect', () => {
		const status = selectStatusLine(stateWith([{type: 'connected', server: '127.0.0.1:8080', dialect: '2015', time: T0, roster: snapshot('alice', [], false)}]));
		expect(status.phase).toBe('connected');
		expect(bar(status, 100)).toContain('roster may be incomplete');
	});
});

describe('fitting the width', () => {
	it('never cuts with … at 180 columns', () => {
		for (const status of [connected, reconnecting, {...connected, rosterIncomplete: true}, {...reconnecting, phase: 'disconnected'} as const]) {
			const {head, tail} = layoutStatusBar(statusParts(status, T0, 0), 180);
			expect(head + tail).not.toContain('…');
			expect(textWidth(head + tail)).toBe(180);
		}
	});

	it('renders what fits, with nothing cut', () => {
		expect(bar(reconnecting, 90).trim()).toBe('⠹ reconnecting in 4 s, attempt 3 · 127.0.0.1:8080 · alice');
	});

	it('leaves out whole parts, least important first, as the bar narrows', () => {
		const shown = (width: number) => {
			const {head, tail} = layoutStatusBar(statusParts(connected, T0, 0), width);
			expect(textWidth(head + tail)).toBe(width);
			return (head + tail).trim();
		};

		expect(shown(80)).toBe('● 127.0.0.1:8080 · alice · 3 users · lag 12 ms');
		expect(shown(40)).toBe('● 127.0.0.1:8080 · alice · 3 users');
		expect(shown(30)).toBe('● 127.0.0.1:8080 · alice');
		expect(shown(20)).toBe('● 127.0.0.1:8080');
		// Only the connection state itself is ever cut, when it alone is too wide.
		expect(shown(10)).toBe('● 127.0.…');
	});

	it('gives up the long reason before your name, and keeps the countdown', () => {
		const {head, tail} = layoutStatusBar(statusParts(reconnecting, T0, 0), 100);
		expect(head + tail).not.toContain('…');
		expect((head + tail).trim()).toBe('⠋ reconnecting in 4 s, attempt 3 · 127.0.0.1:8080 · alice');
	});
});
