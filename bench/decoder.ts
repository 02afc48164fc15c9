// Target 1: the decoder against split('\n') + JSON.parse on the same bytes.
import {FrameDecoder} from '../source/protocol/decoder.js';
import {alternate} from './stats.js';
import {chatFrames, chunked} from './corpus.js';

export type DecoderResult = {
	frames: number;
	megabytes: number;
	ndjsonMBps: {decoder: number; baseline: number; ratio: number};
	backToBackMBps: {decoder: number; baseline: number; ratio: number};
};

/** The baseline: a line splitter over string chunks, the way most NDJSON readers are written. */
function splitAndParse(chunks: Buffer[]): number {
	let count = 0;
	let tail = '';
	for (const chunk of chunks) {
		const lines = (tail + chunk.toString()).split('\n');
		tail = lines.pop()!;
		for (const line of lines) if (line !== '') count += JSON.parse(line) ? 1 : 0;
	}

	return count;
}

function decode(chunks: Buffer[]): number {
	const decoder = new FrameDecoder({maxFrameBytes: 1024 * 1024});
	let count = 0;
	const onItem = () => {
		count++;
	};

	for (const chunk of chunks) decoder.push(chunk, onItem);
	return count;
}

export function benchDecoder(rounds = 9, frameCount = 200_000): DecoderResult {
	const frames = chatFrames(frameCount);
	const lines = frames.map(frame => JSON.stringify(frame));
	const ndjson = Buffer.from(lines.join('\n') + '\n');
	const backToBack = Buffer.from(lines.join(''));
	const ndjsonChunks = chunked(ndjson);
	const backToBackChunks = chunked(backToBack);

	// Both sides must agree on the count, or the comparison means nothing.
	if (decode(ndjsonChunks) !== frameCount || decode(backToBackChunks) !== frameCount || splitAndParse(ndjsonChunks) !== frameCount) {
		throw new Error('decoder bench: frame counts disagree');
	}

	const megabytes = ndjson.length / 1e6;
	const times = alternate(rounds, {
		decoderNdjson: () => decode(ndjsonChunks),
		baselineNdjson: () => splitAndParse(ndjsonChunks),
		decoderBackToBack: () => decode(backToBackChunks),
	});
	const mbps = (ms: number, bytes: number) => bytes / 1e6 / (ms / 1000);
	const baseline = mbps(times.baselineNdjson, ndjson.length);
	const ndjsonDecoder = mbps(times.decoderNdjson, ndjson.length);
	// The same frames, same baseline: split('\n') cannot read the back-to-back form at all, so the
	// target compares with its figure on the delimited form of the same corpus.
	const backToBackDecoder = mbps(times.decoderBackToBack, backToBack.length);
	const framesPerSecondBaseline = frameCount / (times.baselineNdjson / 1000);
	const framesPerSecondBackToBack = frameCount / (times.decoderBackToBack / 1000);
	return {
		frames: frameCount,
		megabytes,
		ndjsonMBps: {decoder: ndjsonDecoder, baseline, ratio: ndjsonDecoder / baseline},
		backToBackMBps: {decoder: backToBackDecoder, baseline, ratio: framesPerSecondBackToBack / framesPerSecondBaseline},
	};
}
