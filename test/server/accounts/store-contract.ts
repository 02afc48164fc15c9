// What every AccountStore backend promises, run against each real backend
// (a SQLite file, a redis-server) by its own test file.
import {afterEach, describe, expect, it} from 'vitest';
import type {AccountRecord, AccountStore, TokenRecord} from '../../../source/server/accounts/account-store.js';

export type StoreFactory = () => Promise<AccountStore>;

const alice: AccountRecord = {nameKey: 'alice', name: 'Alice', passwordHash: '$scrypt$ln=4,r=8,p=1$c2FsdA==$a2V5', created: 1000};
const token = (digest: string, lastUsed: number, nameKey = 'alice'): TokenRecord => ({digest, nameKey, created: lastUsed, lastUsed});
const digestOf = (index: number) => index.toString(16).padStart(64, '0');
const limits = {max: 20, expiredBefore: 0};

export function accountStoreContract(name: string, make: StoreFactory): void {
	describe(`${name}: the AccountStore contract`, () => {
		const open: AccountStore[] = [];
		const store = async () => {
			const made = await make();
			open.push(made);
			return made;
		};

		afterEach(async () => {
			await Promise.all(open.splice(0).map(async made => made.close()));
		});

		it('creates an account once per name key, keeping the name as registered', async () => {
			const accounts = await store();
			expect(await accounts.get('alice')).toBeUndefined();
			expect(await accounts.create(alice)).toBe(true);
			expect(await accounts.create({...alice, name: 'ALICE', passwordHash: 'other'})).toBe(false);
			expect(await accounts.get('alice')).toEqual(alice);
		});

		it('lets exactly one of two simultaneous registrations win', async () => {
			const accounts = await store();
			const results = await Promise.all([accounts.create(alice), accounts.create({...alice, name: 'aLice'})]);
			expect(results.filter(Boolean)).toHaveLength(1);
		});

		it('replaces the password hash of an account, and of no other', async () => {
			const accounts = await store();
			await accounts.create(alice);
			expect(await accounts.setPasswordHash('alice', 'new hash')).toBe(true);
			expect((await accounts.get('alice'))?.passwordHash).toBe('new hash');
			expect(await accounts.setPasswordHash('bob', 'new hash')).toBe(false);
			expect(await accounts.get('bob')).toBeUndefined();
		});

		it('finds, touches and revokes tokens by digest', async () => {
			const accounts = await store();
			await accounts.create(alice);
			await accounts.addToken(token(digestOf(1), 5000), limits);
			expect(await accounts.findToken(digestOf(1))).toEqual(token(digestOf(1), 5000));
			await accounts.touchToken(digestOf(1), 9000);
			expect(await accounts.findToken(digestOf(1))).toEqual({...token(digestOf(1), 5000), lastUsed: 9000});
			await accounts.revokeToken(digestOf(1));
			expect(await accounts.findToken(digestOf(1))).toBeUndefined();
			expect(await accounts.findToken(digestOf(2))).toBeUndefined();
		});

		it('keeps the 20 most recently used tokens of an account', async () => {
			const accounts = await store();
			await accounts.create(alice);
			for (let index = 1; index <= 20; index++) await accounts.addToken(token(digestOf(index), 1000 + index), limits);
			// Using the oldest makes it the newest; the next token then drops number 2.
			await accounts.touchToken(digestOf(1), 5000);
			await accounts.addToken(token(digestOf(21), 6000), limits);
			const kept = await Promise.all(Array.from({length: 21}, async (_, index) => (await accounts.findToken(digestOf(index + 1))) !== undefined));
			expect(kept.map((found, index) => (found ? index + 1 : 0)).filter(Boolean)).toEqual([1, ...Array.from({length: 19}, (_, index) => index + 3)]);
		});

		it('drops the tokens unused since the cut-off when it adds one', async () => {
			const accounts = await store();
			await accounts.create(alice);
			await accounts.addToken(token(digestOf(1), 1000), limits);
			await accounts.addToken(token(digestOf(2), 5000), limits);
			await accounts.addToken(token(digestOf(3), 9000), {max: 20, expiredBefore: 5000});
			expect(await accounts.findToken(digestOf(1))).toBeUndefined();
			expect(await accounts.findToken(digestOf(2))).toBeDefined();
			expect(await accounts.findToken(digestOf(3))).toBeDefined();
		});

		it('revokes every token of one account, and only of it', async () => {
			const accounts = await store();
			await accounts.create(alice);
			await accounts.create({...alice, nameKey: 'bob', name: 'bob'});
			await accounts.addToken(token(digestOf(1), 1000), limits);
			await accounts.addToken(token(digestOf(2), 1000), limits);
			await accounts.addToken(token(digestOf(3), 1000, 'bob'), limits);
			await accounts.revokeAllTokens('alice');
			expect(await accounts.findToken(digestOf(1))).toBeUndefined();
			expect(await accounts.findToken(digestOf(2))).toBeUndefined();
			expect(await accounts.findToken(digestOf(3))).toBeDefined();
		});

		it('remembers the most recent addresses an account logged in from', async () => {
			const accounts = await store();
			await accounts.create(alice);
			expect(await accounts.isKnownAddress('alice', '192.0.2.1')).toBe(false);
			for (const [index, address] of ['192.0.2.1', '192.0.2.2', '192.0.2.3'].entries()) await accounts.addKnownAddress('alice', address, 1000 + index, 2);
			expect(await accounts.isKnownAddress('alice', '192.0.2.1')).toBe(false);
			expect(await accounts.isKnownAddress('alice', '192.0.2.2')).toBe(true);
			expect(await accounts.isKnownAddress('alice', '192.0.2.3')).toBe(true);
			expect(await accounts.isKnownAddress('bob', '192.0.2.3')).toBe(false);
		});

		it('remembers each direct conversation once per other account, the newest log key winning', async () => {
			const accounts = await store();
			await accounts.create(alice);
			expect(await accounts.conversations('alice')).toEqual([]);
			await accounts.addConversation('alice', 'bob', 'dm-1');
			await accounts.addConversation('alice', 'bob', 'dm-1');
			await accounts.addConversation('alice', 'carol', 'dm-2');
			await accounts.addConversation('alice', 'bob', 'dm-3');
			const sorted = (await accounts.conversations('alice')).sort((a, b) => a.other.localeCompare(b.other));
			expect(sorted).toEqual([{other: 'bob', conversation: 'dm-3'}, {other: 'carol', conversation: 'dm-2'}]);
			expect(await accounts.conversations('bob')).toEqual([]);
		});

		it('deletes an account with its tokens, addresses and conversation list', async () => {
			const accounts = await store();
			await accounts.create(alice);
			await accounts.addToken(token(digestOf(1), 1000), limits);
			await accounts.addKnownAddress('alice', '192.0.2.1', 1000, 32);
			await accounts.addConversation('alice', 'bob', 'dm-1');
			expect(await accounts.delete('alice')).toBe(true);
			expect(await accounts.delete('alice')).toBe(false);
			expect(await accounts.get('alice')).toBeUndefined();
			expect(await accounts.findToken(digestOf(1))).toBeUndefined();
			expect(await accounts.isKnownAddress('alice', '192.0.2.1')).toBe(false);
			expect(await accounts.conversations('alice')).toEqual([]);
			expect(await accounts.create(alice)).toBe(true);
		});
	});
}
