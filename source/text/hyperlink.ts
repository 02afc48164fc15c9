// Clickable URLs (OSC 8), written by the client itself and never taken from
// the network: only http and https, only a URL that is its own visible text,
// and only characters that cannot end or extend the escape sequence.

/** Longer URLs are left unlinked; terminals cap a link's URI near this (VTE: 2,083 bytes). */
export const MAX_LINK_CHARS = 2048;

// Printable ASCII without space: no ESC, BEL, C1 or other control can reach the sequence,
// and what the terminal opens is byte for byte what the reader sees.
const linkable = /^https?:\/\/[\x21-\x7e]+$/i;

/** The URL `text` links to, or undefined when it must stay plain text. */
export function linkTarget(text: string): string | undefined {
	if (text.length > MAX_LINK_CHARS || !linkable.test(text)) return undefined;
	if (!URL.canParse(text)) return undefined;
	return text;
}

/**
 * The URL as clickable text: OSC 8 around the URL itself, or undefined when
 * it is not linkable. BEL ends each sequence because that is the form Ink's
 * renderer recognises (and so measures as zero columns).
 */
export function hyperlink(url: string): string | undefined {
	const target = linkTarget(url);
	if (target === undefined) return undefined;
	return `\x1b]8;;${target}\x07${target}\x1b]8;;\x07`;
}

/**
 * Whether the terminal is known to show OSC 8 links. Those that do not may
 * print the sequence, so the default is no. FORCE_HYPERLINK=1 or 0 decides
 * either way.
 */
export function hyperlinksSupported(env: Readonly<Record<string, string | undefined>>): boolean {
	const forced = env.FORCE_HYPERLINK;
	if (forced !== undefined && forced !== '') return forced !== '0';
	const term = env.TERM ?? '';
	if (term === 'dumb') return false;
	// tmux and screen pass OSC 8 on only when configured to; nothing here can tell.
	if (env.TMUX || term.startsWith('screen') || term.startsWith('tmux')) return false;
	if (env.WT_SESSION || env.KITTY_WINDOW_ID || env.WEZTERM_EXECUTABLE || env.KONSOLE_VERSION) return true;
	if (['xterm-kitty', 'alacritty', 'foot', 'foot-extra', 'xterm-ghostty', 'wezterm'].includes(term)) return true;
	const vte = Number(env.VTE_VERSION ?? 0);
	// VTE 0.50 (GNOME Terminal, Tilix) was the first to show links.
	if (vte >= 5000) return true;
	switch (env.TERM_PROGRAM) {
		case 'iTerm.app':
		case 'WezTerm':
		case 'vscode':
		case 'ghostty':
		case 'Hyper':
			return true;
		default:
			return false;
	}
}
