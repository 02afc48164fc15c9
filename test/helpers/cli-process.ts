// Runs the built CLI as a process with `input` on stdin, and collects what it
// printed and how it exited.
import {spawn} from 'node:child_process';
import {cliPath} from './pty.js';

export type CliResult = {status: number | null; stdout: string; stderr: string};

export async function runCli(args: string[], input: string, env: Record<string, string> = {}): Promise<CliResult> {
	const child = spawn(process.execPath, [cliPath, ...args], {env: {...process.env, ...env}});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	child.stdin.end(input);
	const status = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	return {status, stdout, stderr};
}
