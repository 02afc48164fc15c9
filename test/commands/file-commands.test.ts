import {describe, expect, it} from 'vitest';
import {createFileCommands} from '../../source/commands/file-commands.js';
import type {PasteFiles} from '../../source/commands/paste-command.js';
import {interpretLine} from '../../source/commands/parse.js';
import {createRegistry, defaultRegistry} from '../../source/commands/registry.js';

function filesWith(entries: Record<string, string | Uint8Array | 'dir'>): PasteFiles {
	return {
		stat(target) {
			const entry = entries[target];
			if (entry === undefined) return undefined;
			if (entry === 'dir') return {size: 0, isFile: false};
			return {size: typeof entry === 'string' ? Buffer.byteLength(entry) : entry.length, isFile: true};
		},
		read(target) {
			const entry = entries[target]!;
			return typeof entry === 'string' ? Buffer.from(entry) : (entry as Uint8Array);
		},
		home: '/home/me',
	};
}

const run = (line: string, files: PasteFiles) => interpretLine(line, {me: 'alice', roster: [], supports: () => true}, createRegistry(createFileCommands(files)));

describe('/share', () => {
	it('uploads a text file under its base name', () => {
		expect(run('/share ~/src/main.go', filesWith({'/home/me/src/main.go': 'package main\n'}))).toEqual({type: 'file', action: {kind: 'share', name: 'main.go', text: 'package main\n'}});
	});

	it.each([
		['/share', /usage: \/share PATH/],
		['/share nope.go', /no such file/],
		['/share src', /not a regular file/],
		['/share big.txt', /it is 49,153 bytes; a shared file holds at most 49,152 bytes \(48 KiB\)/],
		['/share latin1.txt', /not UTF-8 text/],
		['/share bin.dat', /looks binary/],
	])('%s refuses in one line, sending nothing', (line, why) => {
		const files = filesWith({src: 'dir', 'big.txt': 'x'.repeat(49_153), 'latin1.txt': Uint8Array.of(0xe9, 0x0a), 'bin.dat': 'a\0b'});
		const descriptor = run(line, files);
		expect(descriptor?.type).toBe('error');
		expect(descriptor).toMatchObject({text: expect.stringMatching(why)});
	});

	it('takes exactly 48 KiB', () => {
		expect(run('/share max.txt', filesWith({'max.txt': 'x'.repeat(49_152)}))).toMatchObject({type: 'file'});
	});
});

describe('/save, /save!, /edit, /file', () => {
	it('never overwrites without the "!"', () => {
		const files = filesWith({});
		expect(run('/save out.go', files)).toEqual({type: 'file', action: {kind: 'save', path: 'out.go', overwrite: false}});
		expect(run('/save! ~/out.go', files)).toEqual({type: 'file', action: {kind: 'save', path: '/home/me/out.go', overwrite: true}});
		expect(run('/save', files)).toMatchObject({type: 'error', text: expect.stringMatching(/usage: \/save PATH/)});
	});

	it('/edit and /file are screen actions', () => {
		expect(run('/edit', filesWith({}))).toEqual({type: 'file', action: {kind: 'edit'}});
		expect(run('/file', filesWith({}))).toEqual({type: 'file', action: {kind: 'toggle'}});
	});

	it('are in the default registry, and complete', () => {
		expect(defaultRegistry.complete('/s')).toEqual(expect.arrayContaining(['/save', '/save!', '/share']));
	});
});
