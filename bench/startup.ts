// Target 6: start-up. `--version` against `node -e 0`, each run to exit; and
// the time from spawning the TUI in a pty to the connected line on screen,
// against a reference server in this process. Alternating, medians.
import {spawnSync} from 'node:child_process';
import {startServer} from '../source/server/index.js';
import {cliPath, PtySession} from './pty-session.js';
import {median} from './stats.js';

export type StartupResult = {
	nodeMs: number;
	versionMs: number;
	versionRatio: number;
	connectedMs: number;
	connectedRatio: number;
	/** With BENCH_STARTUP_BASELINE=path/to/cli.js (another build, e.g. main's): its connected time, taking turns with this one. */
	baselineConnectedMs?: number;
};

function timeRun(args: string[]): number {
	const start = performance.now();
	const result = spawnSync(process.execPath, args, {stdio: 'ignore'});
	if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}`);
	return performance.now() - start;
}

async function timeConnected(port: number, user: string, cli = cliPath): Promise<number> {
	const expected = `connected to 127.0.0.1:${port}`;
	const session = new PtySession({args: ['--host', '127.0.0.1', '--port', String(port), '--user', user], screen: false, cli});
	try {
		// Raw output, not the screen: polling a screen would add its own delay.
		const shown = await session.until(() => session.output.includes(expected), 15_000);
		return shown - session.startedAt;
	} finally {
		await session.stop();
	}
}

export async function benchStartup(runs = 15, connectRuns = 7, tuiWorks = true, baselineCli?: string): Promise<StartupResult> {
	const node: number[] = [];
	const version: number[] = [];
	for (let run = 0; run < runs; run++) {
		if (run % 2 === 0) {
			node.push(timeRun(['-e', '0']));
			version.push(timeRun([cliPath, '--version']));
		} else {
			version.push(timeRun([cliPath, '--version']));
			node.push(timeRun(['-e', '0']));
		}
	}

	const connected: number[] = [];
	const baseline: number[] = [];
	const nodeAgain: number[] = [];
	if (tuiWorks) {
		const server = await startServer({port: 0, quiet: true});
		try {
			for (let run = 0; run < connectRuns; run++) {
				nodeAgain.push(timeRun(['-e', '0']));
				if (baselineCli && run % 2 === 1) baseline.push(await timeConnected(server.port, `base${run}`, baselineCli));
				connected.push(await timeConnected(server.port, `bench${run}`));
				if (baselineCli && run % 2 === 0) baseline.push(await timeConnected(server.port, `base${run}`, baselineCli));
			}
		} finally {
			await server.close();
		}
	}

	const nodeMs = median([...node, ...nodeAgain]);
	const versionMs = median(version);
	const connectedMs = tuiWorks ? median(connected) : Number.NaN;
	const result: StartupResult = {nodeMs, versionMs, versionRatio: versionMs / nodeMs, connectedMs, connectedRatio: connectedMs / nodeMs};
	if (baseline.length > 0) result.baselineConnectedMs = median(baseline);
	return result;
}
