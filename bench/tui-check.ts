// Whether the built TUI can run here: dist/cli.js exists and, in a pty
// against a scripted server, shows "connected to". The client benches skip
// with this reason instead of failing.
import {existsSync} from 'node:fs';
import {FeedServer} from './feed-server.js';
import {cliPath, startTui} from './pty-session.js';

let cached: Promise<string | undefined> | undefined;

export async function tuiUnavailable(): Promise<string | undefined> {
	cached ??= (async () => {
		if (!existsSync(cliPath)) return `${cliPath} is missing (run npm run build)`;
		const feed = new FeedServer();
		const port = await feed.start();
		try {
			const session = await startTui(port, {cols: 100, rows: 30});
			await session.stop();
			return undefined;
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			return `the TUI did not show a connected screen in a pty: ${message.split('\n')[0]}`;
		} finally {
			await feed.close();
		}
	})();
	return cached;
}
