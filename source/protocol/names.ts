// Names that look alike are one name: the confusable skeleton of Unicode
// TR39 (UTS #39 §4), from the confusables data in confusables-table.ts.
import {CONFUSABLE_PAGES} from './confusables-table.js';

/**
 * Sources whose TR39 prototype we do not use. "m" → "rn": in a monospace
 * terminal one is a cell and the other two, so they do not look alike, and
 * the mapping would make "amold" and "arnold" one name (Ergo IRC drops it too).
 */
const DROPPED_SOURCES: ReadonlySet<number> = new Set([0x6d]);

const noEntries: ReadonlyMap<number, string> = new Map();
/** Pages of the table parsed so far, by page number (at most 4,352 of them). */
const parsedPages = new Map<number, ReadonlyMap<number, string>>();

function parsePage(page: number): ReadonlyMap<number, string> {
	const text = CONFUSABLE_PAGES[page];
	if (text === undefined) return noEntries;
	const entries = new Map<number, string>();
	for (const line of text.split('\n')) {
		const source = line.codePointAt(0)!;
		entries.set(source, line.slice(source > 0xffff ? 2 : 1));
	}

	return entries;
}

/** The TR39 prototype `code` looks like, or undefined when it stands for itself. */
export function confusablePrototype(code: number): string | undefined {
	if (DROPPED_SOURCES.has(code)) return undefined;
	const page = code >> 8;
	let entries = parsedPages.get(page);
	if (entries === undefined) {
		entries = parsePage(page);
		parsedPages.set(page, entries);
	}

	return entries.get(code);
}

let asciiPrototypes: ReadonlyArray<string | undefined> | undefined;

/** Skeleton of printable ASCII, by a 128-entry table: ASCII holds no width variant or ignorable, and NFD changes none of it. */
function asciiSkeleton(text: string): string {
	asciiPrototypes ??= Array.from({length: 0x80}, (_, code) => confusablePrototype(code));
	let mapped: string | undefined;
	for (let i = 0; i < text.length; i++) {
		const prototype = asciiPrototypes[text.charCodeAt(i)];
		if (prototype !== undefined) mapped = (mapped ?? text.slice(0, i)) + prototype;
		else if (mapped !== undefined) mapped += text[i];
	}

	if (mapped === undefined) return text;
	return printableAscii.test(mapped) ? mapped : mapped.normalize('NFD');
}

const defaultIgnorable = /\p{Default_Ignorable_Code_Point}/gu;
// The table maps only some fullwidth letters (ａ but not ｂ), so the
// halfwidth and fullwidth forms are folded to their ordinary ones first.
const widthVariant = /[\uff00-\uffef]/gu;
const printableAscii = /^[\x20-\x7e]*$/;

function mapPrototypes(text: string): string {
	let mapped = '';
	for (const char of text) mapped += confusablePrototype(char.codePointAt(0)!) ?? char;
	return mapped;
}

/**
 * The TR39 skeleton of `text`: width variants folded, NFD, default-ignorable
 * code points removed, each code point replaced by its prototype, NFD again.
 * Two strings with one skeleton look alike.
 */
export function confusableSkeleton(text: string): string {
	if (printableAscii.test(text)) return asciiSkeleton(text);
	const decomposed = text.replace(widthVariant, char => char.normalize('NFKC')).normalize('NFD').replace(defaultIgnorable, '');
	return mapPrototypes(decomposed).normalize('NFD');
}
