// A chat message as blocks: paragraphs with inline spans (plain text, inline
// `code`, http/https URLs) and fenced code blocks. A small, strict subset of
// Markdown, parsed in one pass over the lines so that a hostile message
// (unterminated fences, thousands of backticks, a megabyte of text) costs
// linear time. Nothing is sanitised here: spans hold the raw text, and the
// code that draws them sanitises (PROTOCOL.md §7). Parsing is lossless:
// markupSource(parseMarkup(text)) === text.
import {languageFromName, type LanguageId} from './languages.js';

export type InlineSpan =
	/** Plain text; the only kind that may hold a newline. */
	| {readonly kind: 'text'; readonly text: string}
	/** Inline code: `text` is what lies between two runs of `ticks` backticks, on one line. */
	| {readonly kind: 'code'; readonly text: string; readonly ticks: number}
	/** An http or https URL; `text` is both what is shown and where it points. */
	| {readonly kind: 'url'; readonly text: string};

export type ParagraphBlock = {
	readonly kind: 'paragraph';
	/** Its lines, newlines included; may begin or end with blank lines. Empty for an empty paragraph. */
	readonly spans: readonly InlineSpan[];
};

export type CodeBlock = {
	readonly kind: 'code';
	/** The first word after the fence, as written ("ts", "Python"); '' when there is none. */
	readonly info: string;
	/** The shipped language `info` names; undefined when none is named or it is not shipped (drawn plain). */
	readonly language: LanguageId | undefined;
	/** The lines between the fences, as written. */
	readonly lines: readonly string[];
	/** The opening fence line, as written. */
	readonly open: string;
	/** The closing fence line, or undefined when the message ends inside the block. */
	readonly close: string | undefined;
};

export type Block = ParagraphBlock | CodeBlock;

// CommonMark's fences: up to three spaces, then three or more ` or ~. A backtick
// fence's info string may not hold a backtick (so "```js``` inline" is text).
const openingFence = /^ {0,3}(`{3,}|~{3,})([^\n]*)$/;
const closingFence = /^ {0,3}(`{3,}|~{3,})[ \t\r]*$/;

type Fence = {readonly char: string; readonly length: number; readonly info: string};

function openingFenceOf(line: string): Fence | undefined {
	const match = openingFence.exec(line);
	if (!match) return undefined;
	const marker = match[1]!;
	const rest = match[2]!;
	if (marker[0] === '`' && rest.includes('`')) return undefined;
	const info = rest.trim().split(/[ \t]/, 1)[0] ?? '';
	return {char: marker[0]!, length: marker.length, info};
}

function closes(line: string, fence: Fence): boolean {
	const match = closingFence.exec(line);
	return match !== null && match[1]![0] === fence.char && match[1]!.length >= fence.length;
}

/** Splits at '\n' only: a '\r' stays in its line (and is shown, sanitised, as ^M). */
function splitLines(text: string): string[] {
	const lines: string[] = [];
	let start = 0;
	for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
		lines.push(text.slice(start, end));
		start = end + 1;
	}
	lines.push(text.slice(start));
	return lines;
}

/** Nothing in the text could start a fence, inline code or a URL: it is one plain paragraph. */
const mayHoldMarkup = /[`~]|:\/\//;

/** Parses a message into blocks. Never throws; linear in the text's length. */
export function parseMarkup(text: string): Block[] {
	if (!mayHoldMarkup.test(text)) return [{kind: 'paragraph', spans: text === '' ? [] : [{kind: 'text', text}]}];
	const lines = splitLines(text);
	const blocks: Block[] = [];
	let paragraph: string[] = [];
	const flushParagraph = () => {
		if (paragraph.length > 0) blocks.push({kind: 'paragraph', spans: parseInline(paragraph.join('\n'))});
		paragraph = [];
	};

	for (let index = 0; index < lines.length; index++) {
		const line = lines[index]!;
		const fence = openingFenceOf(line);
		if (!fence) {
			paragraph.push(line);
			continue;
		}
		flushParagraph();
		let end = index + 1;
		while (end < lines.length && !closes(lines[end]!, fence)) end++;
		// An unterminated fence runs to the end of the message, as in CommonMark.
		const close = end < lines.length ? lines[end] : undefined;
		blocks.push({
			kind: 'code',
			info: fence.info,
			language: fence.info === '' ? undefined : languageFromName(fence.info),
			lines: lines.slice(index + 1, end),
			open: line,
			close,
		});
		index = end;
	}
	flushParagraph();
	return blocks;
}

/** How many messages keep their parsed blocks (the log holds 10,000; the pane shows a screenful). */
export const MARKUP_CACHE_MESSAGES = 1024;
// Keyed by the text itself: an entry copied with a new delivery state shares the
// same string, so it is not parsed again. A Map iterates oldest first.
const parsed = new Map<string, readonly Block[]>();

/**
 * parseMarkup, remembered for the last MARKUP_CACHE_MESSAGES texts, so a
 * message drawn again gets the same block objects (and so the highlighter's
 * cache, keyed by block, finds it).
 */
export function markupOf(text: string): readonly Block[] {
	const hit = parsed.get(text);
	if (hit) {
		parsed.delete(text);
		parsed.set(text, hit);
		return hit;
	}
	const blocks = parseMarkup(text);
	parsed.set(text, blocks);
	if (parsed.size > MARKUP_CACHE_MESSAGES) parsed.delete(parsed.keys().next().value!);
	return blocks;
}

/** The text the blocks were parsed from. */
export function markupSource(blocks: readonly Block[]): string {
	return blocks.map(blockSource).join('\n');
}

function blockSource(block: Block): string {
	switch (block.kind) {
		case 'paragraph':
			return block.spans.map(spanSource).join('');
		case 'code':
			return [block.open, ...block.lines, ...(block.close === undefined ? [] : [block.close])].join('\n');
		default:
			return unreachable(block);
	}
}

function spanSource(span: InlineSpan): string {
	switch (span.kind) {
		case 'text':
		case 'url':
			return span.text;
		case 'code': {
			const ticks = '`'.repeat(span.ticks);
			return ticks + span.text + ticks;
		}
		default:
			return unreachable(span);
	}
}

function unreachable(value: never): never {
	throw new Error(`unexpected ${JSON.stringify(value)}`);
}

type Run = {readonly start: number; readonly length: number};

/** Runs of backticks on one line. */
function backtickRuns(line: string): Run[] {
	const runs: Run[] = [];
	for (let start = line.indexOf('`'); start !== -1; ) {
		let end = start + 1;
		while (line.charCodeAt(end) === 0x60) end++;
		runs.push({start, length: end - start});
		start = line.indexOf('`', end);
	}
	return runs;
}

/**
 * Pairs each backtick run with the next run of the same length on the line
 * (CommonMark's rule); runs with no partner are text. Each length keeps a
 * cursor into its own list of runs that only moves forward, so the whole
 * line costs linear time however many runs it holds.
 */
function codeSpans(line: string): {start: number; end: number; ticks: number}[] {
	const runs = backtickRuns(line);
	if (runs.length < 2) return [];
	const byLength = new Map<number, {indices: number[]; cursor: number}>();
	runs.forEach((run, index) => {
		const list = byLength.get(run.length);
		if (list) list.indices.push(index);
		else byLength.set(run.length, {indices: [index], cursor: 0});
	});
	const spans: {start: number; end: number; ticks: number}[] = [];
	for (let index = 0; index < runs.length; index++) {
		const run = runs[index]!;
		const list = byLength.get(run.length)!;
		while (list.cursor < list.indices.length && list.indices[list.cursor]! <= index) list.cursor++;
		if (list.cursor === list.indices.length) continue;
		const partner = list.indices[list.cursor]!;
		spans.push({start: run.start, end: runs[partner]!.start + run.length, ticks: run.length});
		// The runs inside the span are code, not openers.
		index = partner;
	}
	return spans;
}

/** Parses a paragraph's text into spans. Inline code never crosses a line. */
export function parseInline(text: string): InlineSpan[] {
	const spans: InlineSpan[] = [];
	const pushText = (value: string) => {
		if (value === '') return;
		const last = spans[spans.length - 1];
		if (last?.kind === 'text') spans[spans.length - 1] = {kind: 'text', text: last.text + value};
		else spans.push({kind: 'text', text: value});
	};
	const pushPlain = (value: string) => {
		for (const piece of splitUrls(value)) {
			if (piece.url) spans.push({kind: 'url', text: piece.text});
			else pushText(piece.text);
		}
	};

	let lineStart = 0;
	while (lineStart <= text.length) {
		let lineEnd = text.indexOf('\n', lineStart);
		if (lineEnd === -1) lineEnd = text.length;
		const line = text.slice(lineStart, lineEnd);
		let at = 0;
		for (const code of codeSpans(line)) {
			pushPlain(line.slice(at, code.start));
			spans.push({kind: 'code', text: line.slice(code.start + code.ticks, code.end - code.ticks), ticks: code.ticks});
			at = code.end;
		}
		pushPlain(line.slice(at));
		if (lineEnd < text.length) pushText('\n');
		lineStart = lineEnd + 1;
	}
	return spans;
}

// Ends at white space or at characters that cannot be in a URL unescaped and
// usually delimit one in prose. The scheme is matched in any case ("HTTPS://").
const urlPattern = /\bhttps?:\/\/[^\s\x00-\x1f\x7f-\x9f<>"`{}|\\^]+/gi;
/** Punctuation that ends a sentence rather than a URL when it is last. */
const trailingPunctuation = /[.,;:!?'*_~]$/;
const schemeLength = (url: string) => url.indexOf('://') + 3;

/** Drops trailing punctuation, and a closing bracket that the URL does not open ("(see https://x.org/a)"). */
function trimUrl(url: string): string {
	const count = (char: string) => url.split(char).length - 1;
	let unopenedParens = count(')') - count('(');
	let unopenedBrackets = count(']') - count('[');
	let end = url.length;
	while (end > schemeLength(url)) {
		const last = url[end - 1]!;
		if (trailingPunctuation.test(last)) {
			end--;
		} else if (last === ')' && unopenedParens > 0) {
			unopenedParens--;
			end--;
		} else if (last === ']' && unopenedBrackets > 0) {
			unopenedBrackets--;
			end--;
		} else {
			break;
		}
	}
	return url.slice(0, end);
}

function splitUrls(text: string): {text: string; url: boolean}[] {
	if (!text.includes('://')) return [{text, url: false}];
	const pieces: {text: string; url: boolean}[] = [];
	let at = 0;
	urlPattern.lastIndex = 0;
	for (let match = urlPattern.exec(text); match !== null; match = urlPattern.exec(text)) {
		const url = trimUrl(match[0]);
		// Nothing left after the scheme: "https://" alone is text.
		if (url.length <= schemeLength(url)) continue;
		if (match.index > at) pieces.push({text: text.slice(at, match.index), url: false});
		pieces.push({text: url, url: true});
		at = match.index + url.length;
		urlPattern.lastIndex = at;
	}
	if (at < text.length) pieces.push({text: text.slice(at), url: false});
	return pieces;
}
