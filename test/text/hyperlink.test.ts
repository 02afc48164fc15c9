import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {hyperlink, hyperlinksSupported, linkTarget, MAX_LINK_CHARS} from '../../source/text/hyperlink.js';

describe('hyperlink', () => {
	it('wraps an http or https URL in OSC 8, with the URL itself as the text', () => {
		expect(hyperlink('https://example.org/a?b=1#c')).toBe('\x1b]8;;https://example.org/a?b=1#c\x07https://example.org/a?b=1#c\x1b]8;;\x07');
		expect(hyperlink('http://127.0.0.1:8080/')).toBeDefined();
	});

	it('takes up exactly the columns of the URL, as Ink measures it', () => {
		const url = 'https://example.org/path';
		expect(stringWidth(hyperlink(url)!)).toBe(url.length);
	});

	it('refuses other schemes, spaces, controls, non-ASCII, and URLs too long to be links', () => {
		const refused = [
			'javascript:alert(1)',
			'file:///etc/passwd',
			'ftp://x.org',
			'https://a.org/x y',
			'https://a.org/\x1b]8;;https://evil\x07',
			'https://a.org/\x07',
			'https://a.org/\x9c',
			'https://a.org/\x7f',
			'https://еxample.org/', // Cyrillic е: what would open is not what is seen
			'https://',
			'https://a.org/' + 'x'.repeat(MAX_LINK_CHARS),
		];
		for (const url of refused) {
			expect(linkTarget(url), JSON.stringify(url)).toBeUndefined();
			expect(hyperlink(url), JSON.stringify(url)).toBeUndefined();
		}
	});

	it('never lets a byte that ends or starts a sequence into the link, whatever the input', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary'}), tail => {
				const link = hyperlink('https://a.org/' + tail);
				if (link === undefined) return;
				// Exactly the four bytes of the two sequences, nothing else below space or above '~'.
				expect(link.replace(/\x1b\]8;;/g, '').replace(/\x07/g, '')).toMatch(/^[\x21-\x7e]+$/);
				expect(link.match(/[\x1b\x07]/g)).toHaveLength(4);
			}),
		);
	});
});

describe('hyperlinksSupported', () => {
	it('says yes only for terminals known to show links, and FORCE_HYPERLINK decides either way', () => {
		expect(hyperlinksSupported({})).toBe(false);
		expect(hyperlinksSupported({TERM: 'xterm-256color'})).toBe(false);
		expect(hyperlinksSupported({TERM: 'xterm-256color', VTE_VERSION: '7600'})).toBe(true);
		expect(hyperlinksSupported({TERM: 'xterm-256color', VTE_VERSION: '4800'})).toBe(false);
		expect(hyperlinksSupported({TERM_PROGRAM: 'iTerm.app'})).toBe(true);
		expect(hyperlinksSupported({TERM: 'xterm-kitty'})).toBe(true);
		expect(hyperlinksSupported({WT_SESSION: 'x'})).toBe(true);
		expect(hyperlinksSupported({TERM: 'screen-256color', VTE_VERSION: '7600'})).toBe(false);
		expect(hyperlinksSupported({TMUX: '/tmp/tmux', TERM_PROGRAM: 'iTerm.app'})).toBe(false);
		expect(hyperlinksSupported({TERM: 'dumb', FORCE_HYPERLINK: '1'})).toBe(true);
		expect(hyperlinksSupported({TERM_PROGRAM: 'iTerm.app', FORCE_HYPERLINK: '0'})).toBe(false);
	});
});
