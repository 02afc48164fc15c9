// Bundles cli.tsx into dist/ with esbuild. Code splitting keeps Ink and React
// out of the chunk that --help and --version load, so they start fast.
import {build} from 'esbuild';
import {rmSync, chmodSync} from 'node:fs';

rmSync('dist', {recursive: true, force: true});
await build({
	entryPoints: {cli: 'cli.tsx'},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	minify: false,
	sourcemap: false,
	legalComments: 'none',
	chunkNames: 'chunks/[name]-[hash]',
	// React in production mode: no dev-only checks on every render.
	define: {'process.env.NODE_ENV': '"production"'},
	// ioredis is only loaded with --redis; better-sqlite3 (native, optional) only with
	// --data; react-devtools-core is an optional Ink import.
	external: ['ioredis', 'better-sqlite3', 'react-devtools-core'],
	banner: {
		js: "import {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);",
	},
	logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
