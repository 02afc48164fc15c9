// Entry point of the reference server as a child process, so a test can
// SIGKILL it for real. Bundled with esbuild by child-server.ts. Options come
// as JSON in argv[2]; log lines go to stderr, and "listening PORT" to stdout
// once the server listens.
import {startServer} from '../../source/server/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const server = await startServer({...options, log: line => process.stderr.write(line + '\n')});
process.stdout.write(`listening ${server.port}\n`);
