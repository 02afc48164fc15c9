// Works around an off-by-one in Ink 6.8's incremental renderer.
//
// Ink writes a frame shorter than the terminal followed by a newline, which
// leaves the cursor on the row *below* the frame. The incremental
// log-update then moves up `visibleLines - 1` rows to reach the top, one row
// short (node_modules/ink/build/log-update.js, createIncremental: "cursorUp(
// previousVisible - 1)"), so every update is drawn one row too low and the
// screen scrolls: duplicated and lost rows (seen in a real pty). The
// standard renderer walks up with eraseLines and is right, but it rewrites
// every row on every frame, which makes each keypress redraw the whole screen.
//
// The fix wraps the stream Ink writes to and adds the missing row to that one
// movement: a write that starts with "cursor up n" directly followed by the
// first row's "next line" (unchanged row) or "column 1" (rewritten row) is
// exactly that branch; nothing else Ink writes starts that way (the first
// frame starts with its text, the shrink branch with erase-line).
// Remove it once Ink fixes the count upstream.

const incrementalStart = /^\x1b\[(\d+)A(?=\x1b\[E|\x1b\[1G)/;

/** Returns `chunk` with the incremental renderer's first cursor-up corrected. */
export function fixIncrementalChunk(chunk: string): string {
	const match = incrementalStart.exec(chunk);
	if (!match) return chunk;
	// For a one-row frame Ink writes "ESC[0A" (wanting 0, but terminals move one row for 0): one row is right there too.
	const rows = Number(match[1]) + 1;
	return `\x1b[${rows}A` + chunk.slice(match[0].length);
}

/**
 * A view of `stream` whose write() applies fixIncrementalChunk; everything
 * else (columns, rows, isTTY, resize events) is the stream's own.
 */
export function withIncrementalFix(stream: NodeJS.WriteStream): NodeJS.WriteStream {
	const write = (chunk: unknown, ...rest: unknown[]) =>
		(stream.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? fixIncrementalChunk(chunk) : chunk, ...rest);
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
