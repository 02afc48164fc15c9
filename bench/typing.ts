// Target 7: keypress-to-echo latency while 1,000 messages a second arrive.
// Each sample types one marker character that appears nowhere else (Greek
// letters; the feed is ASCII) and times until the pty output contains it.
// The input line is cleared with Ctrl-U before the markers are reused.
import {FeedServer, messageLines} from './feed-server.js';
import {startTui} from './pty-session.js';
import {percentile} from './stats.js';

export type TypingResult = {samples: number; ratePerSecond: number; deliveredPerSecond: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number};

const markers = [...'αβγδεζηθικλμνξοπρστυφχψω'];
const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function benchTyping(samples = 60, ratePerSecond = 1000): Promise<TypingResult> {
	const feed = new FeedServer();
	const port = await feed.start();
	const session = await startTui(port, {cols: 100, rows: 30, screen: false});
	session.keepOutput = false;
	// The feed: every 5 ms, as many messages as keep the average at the rate.
	let sent = 0;
	const feedStart = performance.now();
	const feeder = setInterval(() => {
		const due = Math.floor(((performance.now() - feedStart) / 1000) * ratePerSecond) - sent;
		if (due > 0) {
			feed.send(messageLines(due, sent));
			sent += due;
		}
	}, 5);
	try {
		await sleep(1000);
		const latencies: number[] = [];
		let typed = 0;
		while (latencies.length < samples) {
			if (typed === markers.length) {
				session.type('\u0015');
				typed = 0;
				await sleep(200);
			}

			const marker = markers[typed++];
			const start = performance.now();
			const echoed = session.until(data => data.includes(marker), 5000);
			session.type(marker);
			latencies.push((await echoed) - start);
			// People do not type in lockstep with frames: a random gap.
			await sleep(40 + Math.random() * 80);
		}

		const seconds = (performance.now() - feedStart) / 1000;
		return {
			samples,
			ratePerSecond,
			deliveredPerSecond: sent / seconds,
			p50Ms: percentile(latencies, 50),
			p95Ms: percentile(latencies, 95),
			p99Ms: percentile(latencies, 99),
			maxMs: Math.max(...latencies),
		};
	} finally {
		clearInterval(feeder);
		await session.stop();
		await feed.close();
	}
}
