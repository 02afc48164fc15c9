// Reads another process's CPU time and RSS from /proc (Linux), so a child is
// measured without its cooperation.
import {readFileSync} from 'node:fs';

const ticksPerSecond = 100;

/** User + system CPU time of `pid`, in milliseconds. */
export function cpuMs(pid: number): number {
	return statCpuMs(`/proc/${pid}/stat`);
}

/** CPU time of this process's main thread alone (its task id is the pid): what an in-process server used, without the worker threads beside it. */
export function mainThreadCpuMs(): number {
	return statCpuMs(`/proc/${process.pid}/task/${process.pid}/stat`);
}

function statCpuMs(file: string): number {
	const stat = readFileSync(file, 'utf8');
	// The command name may hold spaces; fields after it are fixed.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** Resident set size of `pid`, in bytes. */
export function rssBytes(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /VmRSS:\s+(\d+) kB/.exec(status);
	return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** A thread's line of /proc/…/schedstat: time on a CPU and time waiting on a run queue, in nanoseconds. */
function schedstat(pid: number): [runNs: number, waitNs: number] {
	const [runNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ');
	return [Number(runNs), Number(waitNs)];
}

/**
 * Time a process's main thread (this one's by default) has spent waiting on a run queue, ready
 * but not running (the kernel's schedstat), in milliseconds: on a shared
 * machine, the part of a wall time that other processes took.
 */
export function mainThreadRunQueueMs(pid = process.pid): number {
	return schedstat(pid)[1] / 1e6;
}

/** CPU time of this process's main thread alone, in milliseconds, to the nanosecond (schedstat): without V8's GC helper threads, which process.cpuUsage counts. */
export function mainThreadCpuPreciseMs(): number {
	return schedstat(process.pid)[0] / 1e6;
}
