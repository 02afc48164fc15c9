// The highlighted lines of a code block, computed once, when the block is
// first drawn. The grammars are loaded on that first request, not at start-up:
// until they are there a block is drawn plain, and the listeners registered
// with onHighlighterLoaded hear when to draw again.
import {plainLines, type HighlightedLine} from './code-theme.js';
import type {CodeBlock} from './markup.js';

type HighlightModule = typeof import('./highlight.js');

/** How many blocks keep their highlighted lines; the pane shows a few dozen at most. */
export const HIGHLIGHT_CACHE_BLOCKS = 256;

let loaded: HighlightModule | undefined;
let loading: Promise<HighlightModule | undefined> | undefined;
let failed = false;
const listeners = new Set<() => void>();
/** `complete`: every line, none cut, as the viewer wants it. */
type Highlighted = {readonly lines: readonly HighlightedLine[]; readonly complete: boolean};
// A Map iterates in insertion order: the first key is the least recently used.
const cache = new Map<CodeBlock, Highlighted>();

/** Starts loading the grammars, once; resolves true when they are loaded. */
export async function loadHighlighter(): Promise<boolean> {
	loading ??= import('./highlight.js').then(
		module => {
			loaded = module;
			for (const listener of [...listeners]) listener();
			return module;
		},
		// A missing chunk must not break the chat: blocks stay plain.
		() => {
			failed = true;
			return undefined;
		},
	);
	return (await loading) !== undefined;
}

/** True once the grammars are loaded: rows laid out before then were plain and should be laid out again. */
export function isHighlighterLoaded(): boolean {
	return loaded !== undefined;
}

/** Calls `listener` once the grammars are loaded. Returns the function that unsubscribes. */
export function onHighlighterLoaded(listener: () => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

/** Characters of one line that the pane highlights; it shows fewer columns than this, and the rest stays plain. */
export const HIGHLIGHT_LINE_CHARS = 1024;
/** A block longer than this (in characters) is shown plain even in the viewer: highlighting it would stall the screen. */
export const HIGHLIGHT_MAX_CHARS = 64 * 1024;

function plainPrefix(block: CodeBlock, count: number): HighlightedLine[] {
	return plainLines(count >= block.lines.length ? block.lines : block.lines.slice(0, count));
}

/** Highlights the first `count` lines; with `cutLines`, each is cut at HIGHLIGHT_LINE_CHARS and the rest is plain. */
function highlightPrefix(module: HighlightModule, block: CodeBlock, language: NonNullable<CodeBlock['language']>, count: number, cutLines: boolean): Highlighted {
	const lines = count >= block.lines.length ? block.lines : block.lines.slice(0, count);
	// An empty block (a lone opening fence) has no lines; '' would highlight as one.
	if (lines.length === 0) return {lines: [], complete: true};
	let cut = false;
	const heads = lines.map(line => {
		if (!cutLines || line.length <= HIGHLIGHT_LINE_CHARS) return line;
		cut = true;
		return line.slice(0, HIGHLIGHT_LINE_CHARS);
	});
	const highlighted = module.highlightCode(heads.join('\n'), language).map((tokens, index) =>
		heads[index]!.length < lines[index]!.length ? [...tokens, {text: lines[index]!.slice(HIGHLIGHT_LINE_CHARS), scope: 'plain' as const}] : tokens,
	);
	return {lines: highlighted, complete: !cut && lines.length === block.lines.length};
}

/**
 * The block's first `maxLines` lines as tokens, one entry per line. The
 * message pane asks for the lines it shows (each highlighted only up to
 * HIGHLIGHT_LINE_CHARS), so a huge block costs no more than a short one
 * there; the viewer asks for all (maxLines undefined), up to HIGHLIGHT_MAX_CHARS.
 * A block without a shipped language is plain and never loads anything (no
 * guessing on the hot path). Before the grammars are loaded this starts
 * loading them and returns plain lines, with `pending` true (false when
 * loading failed: then blocks stay plain); those are not cached.
 */
export function highlightBlock(block: CodeBlock, maxLines?: number): {lines: readonly HighlightedLine[]; pending: boolean} {
	const full = maxLines === undefined;
	const count = full ? block.lines.length : Math.min(maxLines, block.lines.length);
	if (block.language === undefined) return {lines: plainPrefix(block, count), pending: false};
	const hit = cache.get(block);
	if (hit && (hit.complete || (!full && hit.lines.length >= count))) {
		cache.delete(block);
		cache.set(block, hit);
		return {lines: hit.lines.length > count ? hit.lines.slice(0, count) : hit.lines, pending: false};
	}
	if (!loaded) {
		void loadHighlighter();
		return {lines: plainPrefix(block, count), pending: !failed};
	}
	// Not cached: it costs no more than a lookup, and must not displace what the pane has.
	if (full && blockChars(block) > HIGHLIGHT_MAX_CHARS) return {lines: plainLines(block.lines), pending: false};
	const entry = highlightPrefix(loaded, block, block.language, count, !full);
	cache.set(block, entry);
	if (cache.size > HIGHLIGHT_CACHE_BLOCKS) cache.delete(cache.keys().next().value!);
	return {lines: entry.lines, pending: false};
}

function blockChars(block: CodeBlock): number {
	let chars = 0;
	for (const line of block.lines) chars += line.length + 1;
	return chars;
}
