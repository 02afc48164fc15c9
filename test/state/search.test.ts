import {describe, expect, it} from 'vitest';
import {chatReducer, initialState, selectEntry, type ChatAction, type ChatState} from '../../source/state/index.js';
import {entryMatches, foldAhead, FOLDS_FURTHER, type FoldedRun, matchRanges, searchFold, searchableText, searchKey, selectLoadingOlder, selectLogFull, selectSearchMatches} from '../../source/state/search.js';
import {currentConversation} from '../../source/state/reducer.js';
import {snapshot} from './snapshot.js';

const t = 1_700_000_000_000;
const run = (state: ChatState, actions: ChatAction[]) => actions.reduce(chatReducer, state);
const said = (text: string, user = 'bob'): ChatAction => ({type: 'message', user, text, time: t});

function withMessages(texts: readonly string[], capacity?: number): ChatState {
	return run(initialState({me: 'alice', ...(capacity === undefined ? {} : {capacity})}), [
		{type: 'connected', server: 'h:1', time: t, roster: snapshot('alice', ['bob'])},
		...texts.map(text => said(text)),
	]);
}

/** The texts of the matching entries, oldest first. */
function matchedTexts(state: ChatState, query: string): string[] {
	const ids = selectSearchMatches(state, query);
	const texts: string[] = [];
	for (let index = 0; ; index++) {
		const entry = selectEntry(state, index);
		if (!entry) break;
		if (ids.includes(entry.id) && entry.kind === 'chat') texts.push(entry.text);
	}
	return texts;
}

/** The parts of `text` that `matchRanges` marks. */
const marked = (text: string, query: string) => matchRanges(text, searchKey(query)).map(([start, end]) => text.slice(start, end));

describe('search matching', () => {
	it('finds messages whatever their case, oldest first, and only messages', () => {
		const state = withMessages(['Deploy at noon', 'lunch?', 'DEPLOY done', 'redeployed it']);
		expect(matchedTexts(state, 'deploy')).toEqual(['Deploy at noon', 'DEPLOY done', 'redeployed it']);
		expect(matchedTexts(state, 'DePlOy DoNe')).toEqual(['DEPLOY done']);
		// The "connected to h:1" line is not a message: not searched.
		expect(matchedTexts(state, 'connected')).toEqual([]);
		expect(matchedTexts(state, '')).toEqual([]);
	});

	it('folds case as names are compared, for letters beyond ASCII', () => {
		const state = withMessages(['Straße gesperrt', 'ΣΟΦΊΑ λέει', 'İstanbul']);
		expect(matchedTexts(state, 'STRASSE')).toEqual(['Straße gesperrt']);
		expect(matchedTexts(state, 'σοφία')).toEqual(['ΣΟΦΊΑ λέει']);
		expect(matchedTexts(state, 'i̇stanbul')).toEqual(['İstanbul']);
		// Lower-case letters whose capitals fold further: as foldCase has them.
		const further = withMessages(['ſtop', '5 µm', 'ΟΔΟΣ', 'ﬁle']);
		expect(matchedTexts(further, 'STOP')).toEqual(['ſtop']);
		expect(matchedTexts(further, 'Μm')).toEqual(['5 µm']);
		expect(matchedTexts(further, 'οδοσ')).toEqual(['ΟΔΟΣ']);
		expect(matchedTexts(further, 'FILE')).toEqual(['ﬁle']);
	});

	it('folds every text as foldCase would: the letters that fold further are all listed', () => {
		for (let code = 0x80; code < 0x10000; code++) {
			if (code >= 0xd800 && code <= 0xdfff) continue;
			const letter = String.fromCharCode(code);
			FOLDS_FURTHER.lastIndex = 0;
			const listed = FOLDS_FURTHER.test(letter);
			const foldsFurther = letter.toLowerCase() === letter && letter.toUpperCase().toLowerCase() !== letter;
			if (listed !== foldsFurther) expect.fail(`U+${code.toString(16)} ${foldsFurther ? 'folds further but is not listed' : 'is listed but folds simply'}`);
			// foldCase twice: once is not always enough ("ẞ" folds to "ß", which folds to "ss").
			const twice = letter.toUpperCase().toLowerCase().toUpperCase().toLowerCase();
			if (searchFold(letter) !== twice) expect.fail(`U+${code.toString(16)} folds to ${searchFold(letter)}, not ${twice}`);
		}
	});

	it('matches wide characters and emoji as they are shown', () => {
		const state = withMessages(['会議は三時から', 'ship it 🚀🚀 now', 'family 👩‍👩‍👧 photo']);
		expect(matchedTexts(state, '三時')).toEqual(['会議は三時から']);
		expect(matchedTexts(state, '🚀 now')).toEqual(['ship it 🚀🚀 now']);
		expect(matchedTexts(state, '👩‍👩‍👧')).toEqual(['family 👩‍👩‍👧 photo']);
		expect(marked('ship it 🚀🚀 now', '🚀')).toEqual(['🚀', '🚀']);
		expect(marked('会議は三時から', '三時')).toEqual(['三時']);
	});

	it('searches the sanitised text: an escape sequence is matched as it is shown, never as the raw bytes', () => {
		const raw = 'see \u001b[31mred\u001b[0m here\u0007';
		const state = withMessages([raw]);
		const shown = searchableText(selectEntry(state, 1)!)!;
		expect(shown).not.toContain('\u001b');
		expect(shown).toContain('^[[31mred');
		expect(matchedTexts(state, '[31mred')).toEqual([raw]);
		// A control character typed into the query is sanitised the same way, so it matches its shown form.
		expect(matchedTexts(state, '\u001b[31m')).toEqual([raw]);
		expect(marked(shown, 'RED')).toEqual(['red']);
	});

	it('maps matches back to the text where folding changes its length', () => {
		// "İ" folds to "i̇" (two code units): the match after it still lands on the right letters.
		expect(marked('İİ abc ABC', 'abc')).toEqual(['abc', 'ABC']);
		expect(marked('ßa', 'ssa')).toEqual(['ßa']);
		expect(marked('aaaa', 'aa')).toEqual(['aa', 'aa']);
		expect(marked('nothing here', 'zzz')).toEqual([]);
	});

	it('gives the same array while the log and the query are the same, and a new one when a message comes', () => {
		let state = withMessages(['one match', 'two']);
		const first = selectSearchMatches(state, 'match');
		expect(selectSearchMatches(state, 'MATCH')).toBe(first);
		state = chatReducer(state, said('another match'));
		expect(selectSearchMatches(state, 'match')).toHaveLength(2);
	});

	it('says whether an older page is on its way, and whether the log is full', () => {
		let state = withMessages(['a', 'b'], 3);
		expect(selectLoadingOlder(state)).toBe(false);
		expect(selectLogFull(state)).toBe(true);
		state = chatReducer(state, {type: 'olderRequested', time: t});
		expect(selectLoadingOlder(state)).toBe(true);
		state = chatReducer(state, {type: 'olderLoaded', messages: []});
		expect(selectLoadingOlder(state)).toBe(false);
		expect(selectLogFull(withMessages(['a'], 10))).toBe(false);
	});

	it('matches only chat entries, not joins or local lines', () => {
		const state = run(withMessages([]), [{type: 'enter', user: 'carol', time: t, roster: snapshot('alice', ['bob', 'carol'])}, {type: 'info', text: 'carol info', time: t}]);
		for (let index = 0; selectEntry(state, index); index++) expect(entryMatches(selectEntry(state, index)!, searchKey('carol'))).toBe(false);
	});
});

describe('folding ahead of the first search', () => {
	it('works through the log a slice at a time, newest first, then only what came at either end since', () => {
		let state = withMessages(Array.from({length: 250}, (_, index) => `message ${index}`));
		const log = () => currentConversation(state).log;
		const slices: Array<{more: boolean; oldest?: number; newest?: number}> = [];
		let folded: FoldedRun | undefined;
		const fold = (budget: number) => {
			const result = foldAhead(log(), budget, folded);
			folded = result.run;
			slices.push({more: result.more, ...result.run});
			return result.more;
		};

		const ids = () => ({first: selectEntry(state, 0)!.id, last: selectEntry(state, log().size - 1)!.id});
		// 250 messages and the join line: three slices of 100, the last one short, from the bottom up.
		expect([fold(100), fold(100), fold(100)]).toEqual([true, true, false]);
		expect(slices[0]).toEqual({more: true, oldest: ids().last - 99, newest: ids().last});
		expect(slices[2]).toEqual({more: false, oldest: ids().first, newest: ids().last});
		expect(fold(1)).toBe(false);
		// Two new messages below: done in one slice of two.
		state = run(state, [said('new one'), said('new two')]);
		expect(fold(1)).toBe(true);
		expect(fold(1)).toBe(false);
		expect(folded).toEqual({oldest: ids().first, newest: ids().last});
		// An older page above: the same from the top.
		state = run(state, [{type: 'olderRequested', time: t}, {type: 'olderLoaded', messages: [{user: 'bob', text: 'older one', time: t}, {user: 'bob', text: 'older two', time: t}]}]);
		expect(fold(1)).toBe(true);
		expect(fold(5)).toBe(false);
		expect(folded).toEqual({oldest: ids().first, newest: ids().last});
		// What it folded is what the search matches.
		expect(matchedTexts(state, 'ONE')).toEqual(['older one', 'new one']);
		expect(matchedTexts(state, 'Message 249')).toEqual(['message 249']);
	});

	it('starts again on a log its run is not in, and has nothing to do on an empty one', () => {
		const state = withMessages(['a', 'b']);
		expect(foldAhead(currentConversation(state).log, 10, {oldest: 1000, newest: 1001}).more).toBe(false);
		expect(foldAhead(currentConversation(initialState({me: 'alice'})).log, 10)).toEqual({run: undefined, more: false});
	});
});
