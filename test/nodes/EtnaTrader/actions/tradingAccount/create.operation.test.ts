// Trading Account > Create: looked up by Clearing Account before anything is created (ETNA makes
// twins of a repeated create), no money field sent, ClearingAccount and Currency checked first; and
// the trigger's New Trading Account event fires for an account made this way.
import type { IDataObject } from 'n8n-workflow';

import { PolledTrigger } from '../../../../support/n8nEngine';
import { runOperation, useSandbox, type OperationOptions } from '../../../../support/etna';

const etna = useSandbox();

const create = { resource: 'tradingAccount', operation: 'create' };
const FROM_CRM = { clearingAccount: '={{ $json.body.clearingAccount }}', currency: 'USD' };

async function createAccount(bodies: IDataObject[], options: OperationOptions = {}) {
	return await runOperation(
		etna,
		create,
		FROM_CRM,
		bodies.map((body) => ({ body })),
		options,
	);
}

function posts() {
	return etna.sandbox.apiRequests().filter((request) => request.method === 'POST');
}

describe('Create Trading Account', () => {
	it('looks the Clearing Account up, then creates the account, enabled, Cash margin type, with no money field', async () => {
		const result = await createAccount([{ clearingAccount: '5RB00421' }]);

		expect(
			etna.sandbox.apiRequests().map((request) => `${request.method} ${request.path}`),
		).toEqual(['GET /api/v1.0/accounts', 'POST /api/v1.0/accounts']);
		expect(etna.sandbox.apiRequests()[0].query).toEqual({
			filter: ["ClearingAccount = '5RB00421'"],
			propertyName: ['Id'],
			isAscending: ['true'],
			pageNumber: ['0'],
			pageSize: ['10'],
		});
		expect(JSON.parse(posts()[0].body)).toEqual({
			Enabled: true,
			ClearingAccount: '5RB00421',
			Currency: 'USD',
			MarginType: 'Cash',
		});
		expect(result.main[0].json).toMatchObject({
			Id: 1006,
			accountId: 1006,
			ClearingAccount: '5RB00421',
			Status: 'New',
			Cash: 0,
			existing: false,
		});
	});

	it('run twice with the same webhook body, makes one account: the retry returns it with existing: true', async () => {
		await createAccount([{ clearingAccount: '5RB00421' }]);
		const retry = await createAccount([{ clearingAccount: '5rb00421' }]);

		expect(retry.main[0].json).toMatchObject({ Id: 1006, existing: true });
		expect(posts()).toHaveLength(1);
		expect(etna.sandbox.model.accounts.size).toBe(6);
	});

	it('refuses to pick between twins of a Clearing Account, creating nothing', async () => {
		await createAccount([{ clearingAccount: 'TWIN' }]);
		// Made outside the node: ETNA does not stop a second account with the same Clearing Account.
		etna.sandbox.model.createAccount({
			ClearingAccount: 'TWIN',
			Currency: 'USD',
			Enabled: true,
			Status: 'New',
			MarginType: 'Cash',
			cashCents: 0,
			settings: { ...etna.sandbox.model.accounts.get(1006)!.settings },
		});

		const result = await createAccount([{ clearingAccount: 'TWIN' }], {
			onError: 'continueErrorOutput',
		});

		expect(result.errorOutput[0].json.error).toBe(
			'Item 1: ETNA has 2 trading accounts with Clearing Account TWIN (IDs 1006, 1007): no account was created, and none was picked.',
		);
		expect(posts()).toHaveLength(1);
	});

	it.each([
		[
			{ currency: 'US' },
			'Item 1: Currency "US" is not valid: it must be a currency code of three letters, e.g. USD',
		],
		[
			{ currency: 'US D' },
			'Item 1: Currency "US D" is not valid: it must be a currency code of three letters, e.g. USD',
		],
		[
			{ clearingAccount: '={{ "" }}' },
			'Item 1: Clearing Account is empty: it must be a text of 1 to 100 characters on one line',
		],
		[
			{ marginType: 'Leveraged' },
			'Item 1: Margin Type "Leveraged" is not valid: it must be one of Cash, Margin, DayTrader, MarginIra',
		],
	])('refuses %j before any request, naming the field', async (change, message) => {
		const result = await runOperation(
			etna,
			create,
			{ clearingAccount: 'C1', currency: 'USD', ...change },
			[{}],
		);

		expect(result.nodeError?.message).toBe(message);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('sends the settings the workflow added, and Permissions as ETNA writes its flags', async () => {
		await runOperation(
			etna,
			create,
			{
				clearingAccount: 'C2',
				currency: 'usd',
				marginType: 'Margin',
				additionalFields: {
					permissions: ['LongStock', 'AllowTrade'],
					optionLevel: 2,
					repCode: 'R07',
					status: 'SentToClearing',
				},
			},
			[{}],
		);

		expect(JSON.parse(posts()[0].body)).toEqual({
			Enabled: true,
			Permissions: 'LongStock, AllowTrade',
			OptionLevel: 2,
			RepCode: 'R07',
			Status: 'SentToClearing',
			ClearingAccount: 'C2',
			Currency: 'USD',
			MarginType: 'Margin',
		});
		expect(etna.sandbox.model.accounts.get(1006)).toMatchObject({
			Status: 'SentToClearing',
			MarginType: 'Margin',
		});
	});

	it("fires the trigger's New Trading Account event for an account it made", async () => {
		const trigger = new PolledTrigger({ event: 'newAccount', options: {} }, etna.credentials());
		expect(await trigger.poll()).toBeNull();

		await createAccount([{ clearingAccount: '5RB00421' }]);
		const events = await trigger.poll();

		expect(events?.[0].map((item) => [item.json.eventId, item.json.ClearingAccount])).toEqual([
			['etna:account:1006', '5RB00421'],
		]);
	});
});
