// The sandbox as every suite that runs a real n8n starts it (e2e, queue, editor): a random app key
// and random password tails, so a leak check cannot pass by luck, every token it issues on record,
// the requests it received by kind, the credential data that points n8n at it, and new ledger rows
// for the trigger's tests.
import { randomBytes, randomInt } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { CredentialImport } from '../../scripts/n8n/instance';
import { DEFAULT_USERS, type SandboxUser, type Transaction } from '../../sandbox/model';
import { startEtnaSandbox, type EtnaSandbox, type SandboxOptions } from '../../sandbox/server';
import { requestLine, sandboxRequests, type SandboxRequests } from '../support/sandboxRequests';

/** The sandbox and the run's secrets; the requests it received since they were last cleared, by kind. */
export interface SandboxWorld extends SandboxRequests {
	sandbox: EtnaSandbox;
	/** Random, so a leak check cannot pass by luck. */
	appKey: string;
	/** The sandbox's users, each password with a random tail for the same reason. */
	users: SandboxUser[];
	/** Every token the sandbox issued, in order, interim two-factor tokens and n8n's logins included. */
	issuedTokens: string[];
	/** For n8n's owner account (8 to 64 characters, a digit and a capital), random for the same reason. */
	ownerPassword: string;
}

export interface SandboxWorldOptions {
	/** How the app key starts: `${keyPrefix}-${tail}`. */
	keyPrefix: string;
	/** Gives each user with a security PIN a random one of 9 digits instead of the seeded one. */
	randomPins?: boolean;
	/** The sandbox's accounts: 1001 to 1005 as seeded, then generated ones up to this many. */
	accountCount?: SandboxOptions['accountCount'];
}

/**
 * Records every token the sandbox issues, whoever asked: POST /token and the tests' own
 * shortcuts all go through the model's issueToken.
 */
export function recordIssuedTokens(sandbox: EtnaSandbox): string[] {
	const issued: string[] = [];
	const issue = sandbox.model.issueToken.bind(sandbox.model);
	sandbox.model.issueToken = (username: string, interim?: boolean): string => {
		const token = issue(username, interim);
		issued.push(token);
		return token;
	};
	return issued;
}

/**
 * Starts the sandbox with a random app key and the seeded users, their passwords with a random
 * tail, and makes n8n's owner password with the same tail.
 */
export async function startSandboxWorld({
	keyPrefix,
	randomPins = false,
	accountCount,
}: SandboxWorldOptions): Promise<SandboxWorld> {
	const tail = randomBytes(6).toString('hex');
	const appKey = `${keyPrefix}-${tail}`;
	// A PIN of 9 random digits: long enough that finding it in n8n's files means a leak.
	const pin = String(randomInt(100_000_000, 999_999_999));
	const users = DEFAULT_USERS.map((user) => ({
		...user,
		password: `${user.password}-${tail}`,
		...(randomPins && user.securityPin !== undefined ? { securityPin: pin } : {}),
	}));
	const sandbox = await startEtnaSandbox({ appKeys: [appKey], users, accountCount });
	const issuedTokens = recordIssuedTokens(sandbox);
	const requests = sandboxRequests(() => sandbox.apiRequests());
	return { ...requests, sandbox, appKey, users, issuedTokens, ownerPassword: `Owner-${tail}-1` };
}

export function userNamed(world: Pick<SandboxWorld, 'users'>, username: string): SandboxUser {
	const user = world.users.find((candidate) => candidate.username === username);
	if (!user) throw new Error(`No sandbox user ${username}`);
	return user;
}

/** An ETNA Trader API credential's data for the sandbox: token method unless `changes` say otherwise. */
export function credentialData(
	world: Pick<SandboxWorld, 'sandbox' | 'appKey'>,
	changes: IDataObject = {},
): IDataObject {
	return {
		baseUrl: `${world.sandbox.apiUrl}/`,
		apiVersion: '1.0',
		appKey: world.appKey,
		authMethod: 'token',
		...changes,
	};
}

/** An ETNA Trader API credential as n8n's CLI imports it (and its Test button takes it). */
export function etnaCredential(id: string, data: IDataObject, name = id): CredentialImport {
	return { id, name, type: 'etnaTraderApi', data };
}

/**
 * Before each test (of the file, or of the describe block it is called in): the sandbox's
 * accounts as seeded, no request on record, no fault, no added latency.
 */
export function freshSandboxBeforeEach(sandbox: () => EtnaSandbox): void {
	beforeEach(() => {
		const current = sandbox();
		current.model.resetAccounts();
		current.clearRequests();
		current.clearFaults();
		current.latencyMs = 0;
	});
}

/** How the ETNA Trader Trigger names a ledger row: `etna:tx:<Id>`. */
export function eventIdOf(row: Pick<Transaction, 'Id'>): string {
	return `etna:tx:${row.Id}`;
}

/** A deposit or a withdrawal through the sandbox's API, as a back office makes one; its row. */
export async function moveMoneyThroughApi(
	world: Pick<SandboxWorld, 'sandbox' | 'appKey'>,
	token: string,
	accountId: number,
	movement: 'deposit' | 'withdrawal',
	amount: number,
): Promise<Transaction> {
	const value = movement === 'deposit' ? 'depositValue' : 'withdrowalValue';
	const url = `${world.sandbox.apiUrl}/v1.0/accounts/${accountId}/${movement}?${value}=${amount}`;
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Et-App-Key': world.appKey, Authorization: `Bearer ${token}` },
	});
	if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
	await response.text();
	const row = world.sandbox.model.transactionsOf(accountId).pop();
	if (!row) throw new Error(`No ledger row on account ${accountId} after the ${movement}`);
	return row;
}

/** The eventIds of new ledger rows, apart by whether a trigger watches their account. */
export interface NewLedgerRows {
	watched: string[];
	unwatched: string[];
}

let nextCents = 1_01;

/**
 * New rows in the ledgers, as money moves between two polls: on each watched account a deposit
 * recorded in the ledger and a withdrawal through the API (with `token`), and the same on the
 * `unwatched` account, whose rows a trigger must never emit. Each amount differs from the last.
 */
export async function addLedgerRows(
	world: Pick<SandboxWorld, 'sandbox' | 'appKey'>,
	token: string,
	watched: number[],
	unwatched: number,
): Promise<NewLedgerRows> {
	const moveBoth = async (accountId: number) => {
		const deposit = world.sandbox.model.recordPayment(accountId, (nextCents += 1));
		const withdrawal = await moveMoneyThroughApi(
			world,
			token,
			accountId,
			'withdrawal',
			(nextCents += 1) / 100,
		);
		return [deposit, withdrawal].map(eventIdOf);
	};
	const rows: NewLedgerRows = { watched: [], unwatched: [] };
	for (const accountId of watched) rows.watched.push(...(await moveBoth(accountId)));
	rows.unwatched.push(...(await moveBoth(unwatched)));
	return rows;
}

/**
 * The API requests the sandbox received since they were last cleared, a line each, for a failure's
 * message: no headers, so no secret.
 */
export function requestLog(sandbox: EtnaSandbox): string {
	const lines = sandbox
		.apiRequests()
		.map((request) => `${request.receivedAt} ${requestLine(request)}`);
	return `The sandbox received:\n${lines.join('\n')}`;
}
