// Certificates made at test time with the openssl command line (Debian's
// openssl; .ci/run installs it if missing), in a temporary directory:
//
//   const certs = makeTestCertificates();
//   await startTestServer({tls: certs.leaf});
//   new ChatClient({..., tls: {ca: certs.ca.cert}});
//
// P-256 keys, because they take milliseconds to make where RSA takes a while
// on a loaded machine; the TLS code paths are the same.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type PemPair = {
	/** Certificate, PEM. */
	cert: Buffer;
	/** Unencrypted private key, PEM. */
	key: Buffer;
	certFile: string;
	keyFile: string;
};

export type TestCertificates = {
	dir: string;
	/** A private CA (CN "CodeChat Test CA"). */
	ca: PemPair;
	/** Signed by `ca`, for localhost and 127.0.0.1. */
	leaf: PemPair;
	/** Self-signed, for localhost and 127.0.0.1: trusted by nobody unless given as its own CA. */
	selfSigned: PemPair;
	/** Signed by `ca`, for localhost and 127.0.0.1, but already expired. */
	expired: PemPair;
	/** Signed by `ca`, valid, but only for other.example. */
	wrongHost: PemPair;
	/** Removes the directory. */
	remove(): void;
};

const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const localNames = 'subjectAltName=DNS:localhost,IP:127.0.0.1';

function openssl(args: string[], cwd: string): void {
	execFileSync('openssl', args, {cwd, stdio: ['ignore', 'ignore', 'pipe']});
}

function pair(dir: string, name: string): PemPair {
	const certFile = path.join(dir, `${name}.pem`);
	const keyFile = path.join(dir, `${name}.key`);
	return {cert: readFileSync(certFile), key: readFileSync(keyFile), certFile, keyFile};
}

/** A key and a certificate signed by the CA in `dir`, valid for `days` (negative: already expired). */
function signed(dir: string, name: string, subjectAltName: string, days: number, serial: number): PemPair {
	openssl(['req', ...curve, '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
	writeFileSync(path.join(dir, `${name}.ext`), `${subjectAltName}\n`);
	openssl([
		'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(serial),
		'-days', String(days), '-extfile', `${name}.ext`, '-out', `${name}.pem`,
	], dir);
	return pair(dir, name);
}

export function makeTestCertificates(): TestCertificates {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-tls-'));
	openssl(['req', '-x509', ...curve, '-subj', '/CN=CodeChat Test CA', '-days', '2', '-keyout', 'ca.key', '-out', 'ca.pem',
		'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
	openssl(['req', '-x509', ...curve, '-subj', '/CN=localhost', '-days', '2', '-keyout', 'self.key', '-out', 'self.pem',
		'-addext', localNames], dir);
	return {
		dir,
		ca: pair(dir, 'ca'),
		leaf: signed(dir, 'leaf', localNames, 2, 2),
		selfSigned: pair(dir, 'self'),
		expired: signed(dir, 'expired', localNames, -1, 3),
		wrongHost: signed(dir, 'wrong', 'subjectAltName=DNS:other.example', 2, 4),
		remove() {
			rmSync(dir, {recursive: true, force: true});
		},
	};
}
