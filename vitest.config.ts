import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		exclude: ['test/stress/**', 'node_modules/**'],
		// Tests talk to real servers over loopback and to real ptys; give them room on 2 cores.
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
	},
});
