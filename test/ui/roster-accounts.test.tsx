import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {Roster} from '../../source/ui/Roster.js';
import {plain} from './helpers.js';

afterEach(() => {
	cleanup();
});

describe('Roster', () => {
	it('marks account holders with "+", guests with nothing, you with "*"', () => {
		const rows = [
			{name: 'alice', isMe: true, gone: false, namesake: false, account: true as const},
			{name: 'bob', isMe: false, gone: false, namesake: false, account: true as const},
			{name: 'carol', isMe: false, gone: false, namesake: false},
		];
		const lines = plain(render(<Roster rows={rows} width={12} height={5} />).lastFrame()).split('\n').map(line => line.trimEnd());
		expect(lines.slice(0, 4)).toEqual(['Users (3)', '*alice', '+bob', ' carol']);
	});
});
