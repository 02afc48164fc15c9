import {describe, expect, it} from 'vitest';
import {newEpoch} from '../../../source/server/store/epoch.js';

describe('newEpoch', () => {
	it('gives a fresh 72-bit URL-safe epoch every call, past the end of the pool it draws from', () => {
		const epochs = Array.from({length: 2000}, () => newEpoch());
		expect(new Set(epochs).size).toBe(epochs.length);
		for (const epoch of epochs) expect(epoch).toMatch(/^[A-Za-z0-9_-]{12}$/);
	});
});
