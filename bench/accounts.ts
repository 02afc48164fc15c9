// Password logins: the cost of one scrypt check with the current parameters,
// and that a wrong password for a registered name and any password for an
// unknown name take the same time (medians within 10%), over the real
// facade and a SQLite file. Each attempt comes from its own address, so the
// lock-out never cuts a run short.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Accounts} from '../source/server/accounts/accounts.js';
import {Lockout} from '../source/server/accounts/lockout.js';
import {MemoryLockoutStore} from '../source/server/accounts/memory-lockout.js';
import {CURRENT_SCRYPT, PasswordHasher} from '../source/server/accounts/password-hash.js';
import {SqliteAccountStore} from '../source/server/accounts/sqlite-account-store.js';
import {median} from './stats.js';

export type AccountsFigures = {
	parameters: string;
	hashMs: number;
	hashCpuMs: number;
	wrongPasswordMs: number;
	unknownNameMs: number;
	/** |unknown − wrong| / wrong. */
	difference: number;
	rounds: number;
};

export async function benchAccounts(rounds = Number(process.env.BENCH_ACCOUNTS_ROUNDS ?? 40)): Promise<AccountsFigures> {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-bench-accounts-'));
	const hasher = new PasswordHasher();
	const accounts = new Accounts({store: await SqliteAccountStore.open(dir), lockout: new Lockout(new MemoryLockoutStore()), hasher});
	try {
		await accounts.addAccount('alice', 'the real password');
		const hashTimes: number[] = [];
		const hashCpu: number[] = [];
		for (let round = 0; round < 9; round++) {
			const started = performance.now();
			const cpu = process.cpuUsage();
			await hasher.hash('some password');
			const used = process.cpuUsage(cpu);
			hashTimes.push(performance.now() - started);
			// scrypt runs on the libuv pool, which counts as this process's CPU.
			hashCpu.push((used.user + used.system) / 1000);
		}

		const times = {wrong: [] as number[], unknown: [] as number[]};
		let address = 0;
		const attempt = async (name: string) => {
			address++;
			const from = `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
			const started = performance.now();
			const outcome = await accounts.login(name, {password: 'a wrong password'}, from);
			if (outcome.ok || outcome.code !== 'auth-failed') throw new Error(`expected auth-failed, got ${JSON.stringify(outcome)}`);
			return performance.now() - started;
		};

		// The first of each warms the statements and the dummy hash.
		await attempt('alice');
		await attempt('nobody-0');
		for (let round = 0; round < rounds; round++) {
			// Alternating which goes first, so drift in the machine's load falls on both.
			if (round % 2 === 0) {
				times.wrong.push(await attempt('alice'));
				times.unknown.push(await attempt(`nobody-${round}`));
			} else {
				times.unknown.push(await attempt(`nobody-${round}`));
				times.wrong.push(await attempt('alice'));
			}
		}

		const wrongPasswordMs = median(times.wrong);
		const unknownNameMs = median(times.unknown);
		const {ln, r, p} = CURRENT_SCRYPT;
		return {
			parameters: `N=2^${ln}, r=${r}, p=${p}`,
			hashMs: median(hashTimes),
			hashCpuMs: median(hashCpu),
			wrongPasswordMs,
			unknownNameMs,
			difference: Math.abs(unknownNameMs - wrongPasswordMs) / wrongPasswordMs,
			rounds,
		};
	} finally {
		await accounts.close();
		rmSync(dir, {recursive: true, force: true});
	}
}
