// The client's TLS files. Reading a PEM file lives with the server, which
// needs it for --tls-cert/--tls-key; the client reuses it for --tls-ca.
import {readPemFile} from '../server/tls-files.js';

export {readPemFile};

export function readTlsCa(file: string): Buffer {
	return readPemFile(file, 'CA certificate', '--tls-ca');
}
