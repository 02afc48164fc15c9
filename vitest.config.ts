import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		// The long variants run only under `npm run test:stress` (STRESS=1); an exclude
		// here would also hide them from that command's file filter.
		exclude: process.env.STRESS ? ['node_modules/**'] : ['test/stress/**', 'node_modules/**'],
		// Tests talk to real servers over loopback and to real ptys; give them room on 2 cores.
		testTimeout: 30_000,
		hookTimeout: 30_000,
		pool: 'forks',
		// Ink draws only the last frame when it thinks it runs in CI, which would
		// blind the tests that render it in-process; the CLI itself drops CI when a
		// person is at the terminal, and the pty tests check that with CI=true.
		// A config file of the person running the tests must not change what the CLI does in them.
		env: {CI: 'false', CONTINUOUS_INTEGRATION: 'false', XDG_CONFIG_HOME: '/nonexistent/codechat-tui-tests'},
	},
});
