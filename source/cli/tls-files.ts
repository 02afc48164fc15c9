// The client's TLS files. Reading a PEM file lives with the server, which
// needs it for --tls-cert/--tls-key; the client reuses it for --tls-ca.
import {readPemFile} from '../server/tls-files.js';

export {readPemFile};

/** `source` names where the file was given (`--tls-ca`, or the config file's key), for the one line a user reads. */
export function readTlsCa(file: string, source: string): Buffer {
	return readPemFile(file, 'CA certificate', source);
}
