// Collects figures as the sections run, prints them as one table at the end
// and writes them to bench/results.json. A row is one figure; a row with a
// target also says whether the target was met.
import {writeFileSync} from 'node:fs';
import os from 'node:os';

export type Row = {
	section: string;
	figure: string;
	value: number | string;
	unit?: string;
	/** e.g. "≥ 0.6×"; absent for context figures. */
	target?: string;
	met?: boolean;
};

export class Report {
	readonly rows: Row[] = [];
	readonly skipped: Array<{section: string; reason: string}> = [];
	readonly details: Record<string, unknown> = {};

	add(row: Row): void {
		this.rows.push(row);
		const met = row.met === undefined ? '' : row.met ? '  MET' : '  MISSED';
		console.log(`  ${row.figure}: ${format(row.value)}${row.unit ? ' ' + row.unit : ''}${row.target ? `  (target ${row.target})` : ''}${met}`);
	}

	skip(section: string, reason: string): void {
		this.skipped.push({section, reason});
		console.log(`  skipped: ${reason}`);
	}

	print(): void {
		const header = ['section', 'figure', 'value', 'target', 'result'];
		const lines = this.rows.map(row => [
			row.section,
			row.figure,
			`${format(row.value)}${row.unit ? ' ' + row.unit : ''}`,
			row.target ?? '',
			row.met === undefined ? '' : row.met ? 'met' : 'MISSED',
		]);
		const widths = header.map((name, column) => Math.max(name.length, ...lines.map(line => line[column].length)));
		const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
		console.log('\n' + render(header));
		console.log(widths.map(width => '-'.repeat(width)).join('  '));
		for (const line of lines) console.log(render(line));
		for (const {section, reason} of this.skipped) console.log(`${section}: skipped: ${reason}`);
	}

	write(path: string): void {
		const machine = {
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model ?? 'unknown',
			memoryGiB: Math.round(os.totalmem() / 2 ** 30),
			node: process.version,
			platform: `${os.platform()} ${os.release()}`,
		};
		const json = {date: new Date().toISOString(), machine, rows: this.rows, skipped: this.skipped, details: this.details};
		writeFileSync(path, JSON.stringify(json, null, '\t') + '\n');
	}
}

function format(value: number | string): string {
	if (typeof value === 'string') return value;
	if (!Number.isFinite(value) || Number.isInteger(value)) return Math.abs(value) >= 1000 ? value.toLocaleString('en-US') : String(value);
	const magnitude = Math.abs(value);
	if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
	if (magnitude >= 100) return value.toFixed(0);
	if (magnitude >= 10) return value.toFixed(1);
	return value.toFixed(2);
}
