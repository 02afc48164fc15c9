// TLS through the built CLI: `serve --tls-cert --tls-key`, and a client with
// --tls (verified), --tls-ca (a private CA) and --insecure (with a warning).
import {spawn, type ChildProcess} from 'node:child_process';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/pty.js';
import {makeTestCertificates, type TestCertificates} from '../helpers/tls.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

let certs: TestCertificates;
const children = new Set<ChildProcess>();

beforeAll(() => {
	certs = makeTestCertificates();
});

afterAll(() => {
	certs.remove();
});

afterEach(async () => {
	for (const child of children) child.kill('SIGKILL');
	children.clear();
	await closeTestServers();
});

type Result = {status: number | null; stdout: string; stderr: string};

function start(args: string[], input?: string): {child: ChildProcess; result: Promise<Result>; stderrText: () => string} {
	const child = spawn(process.execPath, [cliPath, ...args]);
	children.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	if (input === undefined) child.stdin!.end();
	else child.stdin!.end(input);
	const result = new Promise<Result>(resolve => {
		child.on('close', status => resolve({status, stdout, stderr}));
	});
	return {child, result, stderrText: () => stderr};
}

async function freePort(): Promise<number> {
	const probe = await startTestServer();
	const {port} = probe;
	await probe.close();
	return port;
}

async function serveTls(pair: {certFile: string; keyFile: string}): Promise<number> {
	const port = await freePort();
	const server = start(['serve', '--port', String(port), '--tls-cert', pair.certFile, '--tls-key', pair.keyFile]);
	const deadline = Date.now() + 10_000;
	while (!server.stderrText().includes('listening')) {
		if (Date.now() > deadline) throw new Error(`the TLS server did not start: ${server.stderrText()}`);
		await new Promise(resolve => setTimeout(resolve, 25));
	}

	expect(server.stderrText()).toContain('TLS');
	return port;
}

describe('TLS through the CLI', () => {
	it('chats over TLS when the client trusts the private CA with --tls-ca', async () => {
		const port = await serveTls(certs.leaf);
		const {result} = start(['--tls', '--tls-ca', certs.ca.certFile, '--host', `localhost:${port}`, '--user', 'bot', '--json'], 'over tls\n');
		const {status, stdout} = await result;
		expect(status).toBe(0);
		expect(stdout).toContain('"type":"sent","text":"over tls"');
	});

	it('refuses an untrusted certificate with a clear error and exit 1, without retrying', async () => {
		const port = await serveTls(certs.selfSigned);
		const {result} = start(['--tls', '--host', `localhost:${port}`, '--user', 'bot'], 'hello\n');
		const {status, stdout} = await result;
		expect(status).toBe(1);
		expect(stdout).toContain('cannot trust the TLS certificate');
		expect(stdout).toContain('--tls-ca');
		expect(stdout).not.toContain('reconnecting');
	});

	it('connects with --insecure, and warns that checks are off', async () => {
		const port = await serveTls(certs.selfSigned);
		const {result} = start(['--tls', '--insecure', '--host', `localhost:${port}`, '--user', 'bot'], 'hello\n');
		const {status, stderr} = await result;
		expect(status).toBe(0);
		expect(stderr).toContain('TLS certificate checks are OFF (--insecure)');
	});

	it('says which file is wrong when --tls-ca is not a PEM file', async () => {
		const {result} = start(['--tls', '--tls-ca', cliPath, '--user', 'bot'], '');
		const {status, stderr} = await result;
		expect(status).toBe(2);
		expect(stderr).toContain('is not a PEM file');
	});
});
