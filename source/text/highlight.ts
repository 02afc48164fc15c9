// The highlighter: highlight.js with only the grammars we ship, its output
// collected straight into lines of tokens. Heavy (the grammars are most of
// it), so nothing imports this module statically: highlighter.ts loads it
// with import() the first time a code block is drawn, and esbuild puts it in
// a chunk of its own.
import type {Emitter, LanguageFn} from 'highlight.js';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import {plainLines, type CodeScope, type CodeToken, type HighlightedLine} from './code-theme.js';
import type {LanguageId} from './languages.js';

// Complete by type: a language added to the table without a grammar does not compile.
const grammars: Record<LanguageId, LanguageFn> = {typescript, javascript, json, bash, python, go, rust, c, cpp, java, diff, yaml, sql, markdown, xml, css};

/**
 * The languages a grammar hands parts of its text to (a template literal's
 * HTML or CSS, a page's script and style): registered with it, or those
 * parts would stay plain.
 */
const embeds: Partial<Record<LanguageId, readonly LanguageId[]>> = {typescript: ['xml', 'css'], javascript: ['xml', 'css'], xml: ['css', 'javascript'], markdown: ['xml']};

const highlighter = hljs.newInstance();

/**
 * Registers a grammar the first time its language is highlighted: building
 * one runs its definition, and a chat sees a few of the sixteen, so loading
 * the chunk registers none.
 */
function register(language: LanguageId): void {
	if (highlighter.getLanguage(language)) return;
	highlighter.registerLanguage(language, grammars[language]);
	for (const embedded of embeds[language] ?? []) register(embedded);
}

/** highlight.js class names (without "hljs-") to our scopes; a class not listed takes its parent's scope. */
const scopeOfClass = new Map<string, CodeScope>(Object.entries({
	keyword: 'keyword',
	'selector-tag': 'keyword',
	'template-tag': 'keyword',
	built_in: 'type',
	type: 'type',
	class: 'type',
	'title.class': 'type',
	literal: 'constant',
	number: 'number',
	symbol: 'constant',
	'variable.constant': 'constant',
	string: 'string',
	regexp: 'string',
	char: 'string',
	subst: 'plain',
	comment: 'comment',
	doc: 'comment',
	quote: 'comment',
	title: 'function',
	'title.function': 'function',
	section: 'heading',
	variable: 'variable',
	'template-variable': 'variable',
	'variable.language': 'keyword',
	params: 'plain',
	meta: 'meta',
	'meta.keyword': 'keyword',
	'meta.string': 'string',
	tag: 'tag',
	name: 'tag',
	'selector-id': 'tag',
	'selector-class': 'tag',
	attr: 'attribute',
	attribute: 'attribute',
	property: 'attribute',
	'selector-attr': 'attribute',
	'selector-pseudo': 'attribute',
	bullet: 'keyword',
	link: 'string',
	code: 'string',
	addition: 'addition',
	deletion: 'deletion',
} satisfies Record<string, CodeScope>));

/** A scope name's CodeScope, or undefined where its text keeps the enclosing one; looked up once per name. */
const scopeOfName = new Map<string, CodeScope | undefined>();

function ownScope(name: string): CodeScope | undefined {
	if (scopeOfName.has(name)) return scopeOfName.get(name);
	let found: CodeScope | undefined;
	// "title.function.invoke" falls back to "title.function", then to "title".
	for (let key = name; found === undefined; ) {
		found = scopeOfClass.get(key);
		const dot = key.lastIndexOf('.');
		if (dot === -1) break;
		key = key.slice(0, dot);
	}

	scopeOfName.set(name, found);
	return found;
}

/**
 * Receives highlight.js's output as it parses (text, scope opened, scope
 * closed) and keeps it as lines of tokens, a neighbour of the same scope
 * merged in: no tree is built and walked afterwards, which cost as much as
 * the parse, and fewer tokens mean fewer styled runs to draw.
 */
class LineEmitter implements Emitter {
	readonly lines: CodeToken[][] = [[]];
	readonly #scopes: CodeScope[] = ['plain'];

	addText(text: string): void {
		const scope = this.#scopes[this.#scopes.length - 1]!;
		let start = 0;
		for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
			this.#push(text.slice(start, newline), scope);
			this.lines.push([]);
			start = newline + 1;
		}

		this.#push(start === 0 ? text : text.slice(start), scope);
	}

	startScope(name: string): void {
		this.#scopes.push(ownScope(name) ?? this.#scopes[this.#scopes.length - 1]!);
	}

	endScope(): void {
		if (this.#scopes.length > 1) this.#scopes.pop();
	}

	// highlight.js calls both pairs of names.
	openNode(name: string): void {
		this.startScope(name);
	}

	closeNode(): void {
		this.endScope();
	}

	/** An embedded language (CSS in HTML): its lines continue ours, its plain text in our scope. */
	__addSublanguage(emitter: Emitter): void {
		const inner = emitter as LineEmitter;
		const scope = this.#scopes[this.#scopes.length - 1]!;
		inner.lines.forEach((tokens, index) => {
			if (index > 0) this.lines.push([]);
			for (const token of tokens) this.#push(token.text, token.scope === 'plain' ? scope : token.scope);
		});
	}

	finalize(): boolean {
		return true;
	}

	toHTML(): string {
		return '';
	}

	#push(text: string, scope: CodeScope): void {
		if (text === '') return;
		const line = this.lines[this.lines.length - 1]!;
		const last = line[line.length - 1];
		if (last?.scope === scope) line[line.length - 1] = {text: last.text + text, scope};
		else line.push({text, scope});
	}
}

highlighter.configure({__emitter: LineEmitter});

/**
 * Highlights `code` as `language`: one entry per line of `code` (split at
 * '\n'), whose token texts join to that line. Never throws: a grammar that
 * fails gives plain lines.
 */
export function highlightCode(code: string, language: LanguageId): HighlightedLine[] {
	try {
		register(language);
		const result = highlighter.highlight(code, {language, ignoreIllegals: true});
		const {lines} = result._emitter as LineEmitter;
		const expected = code.split('\n').length;
		// The emitter sees every character of the input; a count that differs would mean a bug in it.
		if (lines.length === expected) return lines;
	} catch {
		// highlight.js reports grammar errors by throwing; the block is still readable plain.
	}
	return plainLines(code.split('\n'));
}
