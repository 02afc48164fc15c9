// `npm run bench`: bundles the TypeScript bench with esbuild (one bundle for
// the entry, one per child-process or worker role), then runs the entry in
// this process, which was started with --expose-gc. Arguments pass through:
// `npm run bench -- fanout scale` runs only those sections.
import {build} from 'esbuild';
import {existsSync} from 'node:fs';

const roles = ['index', 'fanout-load', 'scale-server', 'scale-clients', 'flood-headless'];
// The cluster bench (the Redis helper's) is bundled apart and loaded only when present.
if (existsSync('bench/cluster.ts')) roles.push('cluster');

await build({
	entryPoints: Object.fromEntries(roles.map(role => [role === 'index' ? 'bench' : `bench-${role}`, `bench/${role}.ts`])),
	outdir: '.tmp',
	outExtension: {'.js': '.mjs'},
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	define: {'process.env.NODE_ENV': '"production"'},
	external: ['ioredis', 'better-sqlite3', 'node-pty', '@xterm/headless', 'react-devtools-core'],
	banner: {
		js: "import {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);",
	},
	logLevel: 'warning',
});

const {main} = await import(new URL('../.tmp/bench.mjs', import.meta.url).href);
await main(process.argv.slice(2));
