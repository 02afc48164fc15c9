import {describe, expect, it} from 'vitest';
import {mentionsName} from '../../source/state/mentions.js';

describe('mentionsName', () => {
	it.each([
		['bob', 'hi bob'],
		['bob', 'Bob: look'],
		['bob', '@BOB!'],
		['bob', "bob's turn"],
		['bob', 'bob'],
		['bob', '(bob)'],
		['bob', 'ask\nbob\nplease'],
		['bob', 'bob-ish'],
		['a.b', 'hey a.b, hi'],
		['x+y', 'x+y?'],
		['émile', 'salut ÉMILE'],
		['名前', 'こんにちは 名前 さん'],
		['alice', 'hi 😀alice😀'],
	])('%j is named in %j', (name, text) => {
		expect(mentionsName(text, name)).toBe(true);
	});

	it.each([
		['bob', 'bobby'],
		['bob', 'kebob'],
		['bob', '_bob'],
		['bob', 'bob_'],
		['bob', 'bob2'],
		['bob', '2bob'],
		['bob', 'bób'],
		['bob', 'bob\u0301 with an accent'],
		['bob', 'b o b'],
		['a.b', 'axb'],
		['a.b', 'a.bc'],
		['x+y', 'xxy'],
		['', 'anything'],
		['bob', ''],
		['émile', 'émiles'],
	])('%j is not named in %j', (name, text) => {
		expect(mentionsName(text, name)).toBe(false);
	});

	it('follows a change of name', () => {
		expect(mentionsName('hi alice', 'alice')).toBe(true);
		expect(mentionsName('hi alice', 'bob')).toBe(false);
		expect(mentionsName('hi bob', 'bob')).toBe(true);
	});
});
