// Child processes for the bench: started through bash so the file-descriptor
// limit can be raised first (10,000 sockets need more than the usual 1,024),
// with an IPC channel for messages.
import {spawn, type ChildProcess} from 'node:child_process';

/** The highest fd limit we may set: 65,536, or the hard limit when that is lower. */
const raiseLimit = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"';

export function spawnBenchChild(script: string, args: string[], nodeFlags: string[] = []): ChildProcess {
	const quoted = [...nodeFlags, script, ...args].map(part => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
	return spawn('bash', ['-c', `${raiseLimit} && exec "${process.execPath}" ${quoted}`], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
}

/** The next IPC message of `type` (an {type:'error'} message rejects). */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs = 600_000): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			cleanup();
			reject(new Error(`no '${type}' from child within ${timeoutMs} ms`));
		}, timeoutMs);
		const onMessage = (message: {type: string; message?: string}) => {
			if (message.type === type) {
				cleanup();
				resolve(message as T);
			} else if (message.type === 'error') {
				cleanup();
				reject(new Error(message.message));
			}
		};

		const onExit = (code: number | null) => {
			cleanup();
			reject(new Error(`child exited (${code}) before '${type}'`));
		};

		const cleanup = () => {
			clearTimeout(timer);
			child.off('message', onMessage);
			child.off('exit', onExit);
		};

		child.on('message', onMessage);
		child.on('exit', onExit);
	});
}

export async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise(resolve => child.once('exit', resolve));
	child.kill('SIGTERM');
	await exited;
}
