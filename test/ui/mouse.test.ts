// Mouse reports (SGR, mode 1006): the wheel is read with its place, any
// other report is known as the mouse's and dropped, and none is ever typed
// text; the wheel scrolls what is under the pointer.
import {describe, expect, it} from 'vitest';
import {InputStream} from '../../source/ui/input-stream.js';
import {mouseReport, wheelTarget, type WheelArea} from '../../source/ui/mouse.js';

describe('mouse reports', () => {
	it('reads the wheel, with Shift, Alt or Ctrl held too, and knows every other report as the mouse', () => {
		expect(mouseReport('\x1b[<64;10;5M')).toEqual({kind: 'wheel', direction: 'up', column: 10, row: 5});
		expect(mouseReport('\x1b[<65;1;1M')).toEqual({kind: 'wheel', direction: 'down', column: 1, row: 1});
		expect(mouseReport('\x1b[<81;3;4M')).toEqual({kind: 'wheel', direction: 'down', column: 3, row: 4});
		expect(mouseReport('\x1b[<0;3;4M')).toEqual({kind: 'other'});
		expect(mouseReport('\x1b[<0;3;4m')).toEqual({kind: 'other'});
		expect(mouseReport('\x1b[<66;3;4M')).toEqual({kind: 'other'});
		expect(mouseReport('\x1b[A')).toBeUndefined();
		expect(mouseReport('<64;10;5M')).toBeUndefined();
	});

	it('are items of their own in the input, between keys, never text', () => {
		const stream = new InputStream();
		const items = ['a', '\x1b[<64;10;5M', '\x1b[<0;2;2M', '\x1b[<0;2;2m', 'b'].flatMap(event => stream.push(event));
		expect(items.map(item => item.kind)).toEqual(['key', 'mouse', 'mouse', 'mouse', 'key']);
		expect(items.flatMap(item => (item.kind === 'key' ? [item.key.text] : []))).toEqual(['a', 'b']);
	});

	it('scroll the sidebar or the shared file under the pointer, else the messages', () => {
		const area: WheelArea = {paneWidth: 80, paneHeight: 20, showSidebar: true, chat: {width: 40, height: 20}, fileShown: true};
		const at = (column: number, row: number) => wheelTarget({kind: 'wheel', direction: 'up', column, row}, area);
		expect(at(10, 5)).toBe('pane');
		expect(at(40, 20)).toBe('pane');
		expect(at(41, 5)).toBe('file');
		expect(at(81, 5)).toBe('sidebar');
		// Over the status bar or the input line: the messages.
		expect(at(90, 22)).toBe('pane');
		const below: WheelArea = {...area, chat: {width: 80, height: 10}};
		expect(wheelTarget({kind: 'wheel', direction: 'down', column: 5, row: 11}, below)).toBe('file');
		expect(wheelTarget({kind: 'wheel', direction: 'down', column: 5, row: 11}, {...below, fileShown: false, showSidebar: false})).toBe('pane');
	});
});
