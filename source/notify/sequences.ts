// The bytes that announce something: the bell, and the desktop notification
// sequences (OSC 777 "notify", with a title, as VTE, foot, WezTerm and
// Ghostty read it; OSC 9, iTerm2's, body only), wrapped for tmux when inside
// it. Their text must come from notificationText(): it holds no ESC or BEL
// that could end the sequence early.

export const BELL = '\x07';

export function desktopNotification(sequence: 'osc777' | 'osc9', title: string, body: string): string {
	// OSC 777's title is a field of its own, which a ";" would end; after OSC 9, "4;" is a progress bar to some terminals.
	const field = title.replaceAll(';', ',');
	switch (sequence) {
		case 'osc777':
			return `\x1b]777;notify;${field};${body}\x07`;
		case 'osc9':
			return `\x1b]9;${field}: ${body}\x07`;
		default:
			return sequence satisfies never;
	}
}

/** tmux hands a sequence to the terminal outside it only in its passthrough (with allow-passthrough on), every ESC doubled. */
export function throughTmux(sequence: string): string {
	return `\x1bPtmux;${sequence.replaceAll('\x1b', '\x1b\x1b')}\x1b\\`;
}
