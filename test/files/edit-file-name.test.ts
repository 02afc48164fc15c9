import {describe, expect, it} from 'vitest';
import {editFileName} from '../../source/files/edit-file-name.js';

describe('editFileName', () => {
	it.each([
		['main.go', 'shared.go'],
		['App.test.tsx', 'shared.tsx'],
		['Makefile', 'shared.txt'],
		['.bashrc', 'shared.txt'],
		['x.c++', 'shared.c++'],
		['../../etc/passwd', 'shared.txt'],
		['a.b/../../x', 'shared.txt'],
		['evil.$(rm -rf ~)', 'shared.txt'],
		['a.\u001b[31m', 'shared.txt'],
		['a.sh\n', 'shared.txt'],
		[`a.${'x'.repeat(17)}`, 'shared.txt'],
	])('names the copy of %j %j', (name, file) => {
		expect(editFileName(name)).toBe(file);
	});
});
