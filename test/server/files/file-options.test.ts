import {describe, expect, it} from 'vitest';
import {fileFrameBytes} from '../../../source/protocol/file-rules.js';
import {resolveOptions, ServerOptionsError} from '../../../source/server/options.js';

describe('the frame limit and the shared file', () => {
	it('raises the default frame limit to what a 48 KiB file needs escaped', () => {
		expect(resolveOptions()).toMatchObject({fileBytes: 49_152, maxFrameBytes: fileFrameBytes(49_152)});
	});

	it('keeps 64 KiB frames when the shared file is off', () => {
		expect(resolveOptions({fileBytes: 0})).toMatchObject({fileBytes: 0, maxFrameBytes: 65_536});
	});

	it('shrinks the default file to fit a frame limit given lower', () => {
		expect(resolveOptions({maxFrameBytes: 4096})).toMatchObject({fileBytes: 512, maxFrameBytes: 4096});
		expect(resolveOptions({maxFrameBytes: 1024})).toMatchObject({fileBytes: 0});
	});

	it('follows a larger file with a larger default frame limit', () => {
		expect(resolveOptions({fileBytes: 100_000})).toMatchObject({maxFrameBytes: fileFrameBytes(100_000)});
	});

	it('refuses a file and a frame limit given together that cannot hold it, naming both', () => {
		expect(() => resolveOptions({fileBytes: 49_152, maxFrameBytes: 65_536})).toThrow(ServerOptionsError);
		expect(() => resolveOptions({fileBytes: 49_152, maxFrameBytes: 65_536})).toThrow(/maxFrameBytes must be at least 295936 .* lower fileBytes to 10752/);
	});

	it('refuses a negative or fractional file limit', () => {
		expect(() => resolveOptions({fileBytes: -1})).toThrow(/fileBytes/);
		expect(() => resolveOptions({fileBytes: 1.5})).toThrow(/fileBytes/);
	});
});
