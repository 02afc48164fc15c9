// Small helpers for noisy shared machines: run A and B alternately, keep medians.

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = sorted.length >> 1;
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Times each function once per round, alternating, and returns the median milliseconds of each. */
export function alternate(rounds: number, contenders: Record<string, () => void>): Record<string, number> {
	const times: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map(name => [name, []]));
	for (let round = 0; round < rounds; round++) {
		const names = Object.keys(contenders);
		if (round % 2 === 1) names.reverse();
		for (const name of names) {
			globalThis.gc?.();
			const start = process.hrtime.bigint();
			contenders[name]();
			times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
		}
	}

	return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]));
}
