import {describe, expect, it} from 'vitest';
import {applyFileEvent, EMPTY_FILE_MODEL, type SharedFileModel} from '../../source/files/shared-file-model.js';

const v1 = 'package main\n\nfunc main() {\n}\n';
const loaded = applyFileEvent(EMPTY_FILE_MODEL, {kind: 'loaded', file: {name: 'main.go', text: v1, version: 1, user: 'bob', time: 1}}).model;

describe('the shared file model', () => {
	it('says nothing on the first load, and one line with the line counts on each update', () => {
		expect(applyFileEvent(EMPTY_FILE_MODEL, {kind: 'loaded', file: {name: 'main.go', text: v1, version: 1}}).line).toBeUndefined();
		const {model, line} = applyFileEvent(loaded, {kind: 'updated', user: 'alice', name: 'main.go', text: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println()\n}\n', version: 7, time: 2});
		expect(line).toEqual({kind: 'info', text: 'alice updated main.go to v7 (+3 −0 lines)'});
		expect([...model.changed]).toEqual([2, 3, 5]);
		expect(model.file).toMatchObject({version: 7, user: 'alice'});
	});

	it('keeps quiet when a reconnect loads the version it has', () => {
		expect(applyFileEvent(loaded, {kind: 'loaded', file: {name: 'main.go', text: v1, version: 1, user: 'bob', time: 1}}).line).toBeUndefined();
	});

	it('names a 2015 server\'s nameless file, and says it keeps no versions when we save', () => {
		const {line} = applyFileEvent(EMPTY_FILE_MODEL, {kind: 'updated', user: 'bob', name: '', text: 'x\n', time: 1});
		expect(line?.text).toBe('bob updated the shared file (+1 −0 lines)');
		expect(applyFileEvent(EMPTY_FILE_MODEL, {kind: 'saved', name: '', text: 'x\n'}).line?.text).toBe('you updated the shared file (+1 −0 lines); this server keeps no versions');
	});

	it('on a conflict keeps our copy, gives the size of their change, and says how to merge', () => {
		const pending: SharedFileModel = {...loaded, pending: {name: 'main.go', text: v1 + '// mine\n', base: 1, baseText: v1}};
		const theirs = applyFileEvent(pending, {kind: 'updated', user: 'carol', name: 'main.go', text: v1 + '// a\n// b\n', version: 2, time: 3}).model;
		const {model, line} = applyFileEvent(theirs, {kind: 'refused', name: 'main.go', text: v1 + '// mine\n', error: 'conflict', code: 'conflict', version: 2});
		expect(line?.kind).toBe('error');
		expect(line?.text).toBe('main.go changed before your update: it is v2 now (+2 −0 lines since your v1). Your copy is kept: /edit reopens it to merge by hand (it then replaces v2); F2 shows v2');
		expect(model.kept?.text).toBe(v1 + '// mine\n');
		expect(model.pending).toBeUndefined();
		expect(model.file?.version).toBe(2);
	});

	it('says any other refusal in one line and keeps nothing', () => {
		const {model, line} = applyFileEvent({...loaded, pending: {name: 'a', text: 'x', base: 1, baseText: ''}}, {kind: 'refused', name: 'big.txt', text: 'x', error: 'file is 60000 bytes of UTF-8; the limit is 49152', code: 'too-long'});
		expect(line).toEqual({kind: 'error', text: 'cannot update big.txt: file is 60000 bytes of UTF-8; the limit is 49152'});
		expect(model.kept).toBeUndefined();
	});
});
