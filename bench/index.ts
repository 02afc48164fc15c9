// The bench entry (bundled by bench/run.mjs). Runs each section in turn, prints
// a line per figure as it goes, then the whole table, and writes
// bench/results.json. Benchmarks never fail: a section that cannot run says
// why and the rest go on. `npm run bench -- fanout scale` picks sections.
import {Report} from './report.js';
import {sections} from './sections.js';

export async function main(argv: string[]): Promise<void> {
	const wanted = argv.filter(argument => !argument.startsWith('-'));
	const unknown = wanted.filter(name => !sections.some(section => section.name === name));
	if (unknown.length > 0) {
		console.error(`unknown section(s): ${unknown.join(', ')}; choose from ${sections.map(section => section.name).join(', ')}`);
		process.exitCode = 2;
		return;
	}

	const report = new Report();
	const started = performance.now();
	for (const section of sections) {
		if (wanted.length > 0 && !wanted.includes(section.name)) continue;
		console.log(`\n== ${section.title}`);
		const sectionStart = performance.now();
		try {
			await section.run(report);
		} catch (error) {
			report.skip(section.name, `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		}

		console.log(`  (${((performance.now() - sectionStart) / 1000).toFixed(1)} s)`);
	}

	report.print();
	report.write('bench/results.json');
	console.log(`\nwrote bench/results.json in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
