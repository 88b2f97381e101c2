// Trading Account > Update: ETNA's PUT writes the whole model and resets what it leaves out, Cash
// included. The node reads the account, changes only the chosen settings, sends the rest back as
// read, never offers money or limits, and reads the ledger around the write to tell whether a
// payment landed meanwhile (its Cash would have been written over).
import { EtnaTrader } from '../../../../../nodes/EtnaTrader/EtnaTrader.node';
import { runOperation, useSandbox } from '../../../../support/etna';

const etna = useSandbox();

const update = { resource: 'tradingAccount', operation: 'update' };

function requests() {
	return etna.sandbox.apiRequests().map((request) => `${request.method} ${request.path}`);
}

describe('Update Trading Account', () => {
	it('changes only the chosen setting; Cash and every other field are sent back as read, and stay', async () => {
		const before = structuredClone(etna.sandbox.model.accounts.get(1003));

		const result = await runOperation(
			etna,
			update,
			{ accountId: 1003, updateFields: { repCode: 'R42' } },
			[{}],
		);

		expect(requests()).toEqual([
			'GET /api/v1.0/accounts/1003/transactions',
			'GET /api/v1.0/accounts/1003',
			'PUT /api/v1.0/accounts/1003',
			'GET /api/v1.0/accounts/1003/transactions',
		]);
		const sent = JSON.parse(etna.sandbox.apiRequests()[2].body) as Record<string, unknown>;
		expect(sent).toMatchObject({
			ClearingAccount: 'SBX001003',
			Currency: 'USD',
			Cash: 50000,
			BaseCash: 50000,
			MarginInterestRate: 8.5,
			CommissionPlan: 'Standard',
			RepCode: 'R42',
			Status: 'Approved',
			Enabled: true,
		});
		expect(sent).not.toHaveProperty('Id');
		expect(etna.sandbox.model.accounts.get(1003)).toEqual({
			...before,
			ModifiedDate: expect.any(String),
			settings: { ...before?.settings, RepCode: 'R42' },
		});
		expect(result.main[0].json).toMatchObject({
			Id: 1003,
			RepCode: 'R42',
			Cash: 50000,
			accountId: 1003,
		});
	});

	it('says so when a payment landed while the update ran: its Cash was written back from before', async () => {
		etna.sandbox.addFault({ endpoint: 'updateAccount', fault: { kind: 'delay', ms: 300 } });

		const running = runOperation(
			etna,
			update,
			{ accountId: 1004, updateFields: { enabled: true } },
			[{}],
			{
				onError: 'continueErrorOutput',
			},
		);
		while (!etna.sandbox.apiRequests().some((request) => request.method === 'PUT')) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		// A deposit made by someone else while the PUT is on its way.
		etna.sandbox.model.recordPayment(1004, 25000);
		const result = await running;

		expect(result.errorOutput[0].json.error).toMatch(
			/^Item 1: trading account 1004 was updated, but its ledger got 1 new row\(s\) while the update ran \(Id \d+: Payment 250\), and ETNA's full update wrote back the Cash read before them \(750\.5\)\.$/,
		);
		expect(result.errorOutput[0].json.message).toMatch(
			/^Outcome: unknown \(the money may have moved\)\. Compare the account's Cash with its ledger/,
		);
	});

	it("refuses to send an update when ETNA's record lacks a money field the PUT would reset", async () => {
		etna.sandbox.addFault({
			endpoint: 'account',
			times: 1,
			fault: {
				kind: 'status',
				status: 200,
				body: { Id: 1004, ClearingAccount: 'SBX001004', Currency: 'USD', Enabled: true },
			},
		});

		const result = await runOperation(
			etna,
			update,
			{ accountId: 1004, updateFields: { repCode: 'R1' } },
			[{}],
			{
				onError: 'continueErrorOutput',
			},
		);

		expect(result.errorOutput[0].json.error).toMatch(
			/^Item 1: ETNA's record of account 1004 lacks Cash, BaseCash, .*which an update must send back unchanged/,
		);
		expect(requests()).not.toContain('PUT /api/v1.0/accounts/1004');
		expect(etna.sandbox.model.cashOf(1004)).toBe(750.5);
	});

	it('offers no money or limit field: the editor has none, and n8n drops one given anyway, so nothing is sent', async () => {
		const offered = new EtnaTrader().description.properties
			.filter(
				(property) =>
					property.name === 'updateFields' &&
					property.displayOptions?.show?.resource?.includes('tradingAccount'),
			)
			.flatMap((property) =>
				(property.options ?? []).map((option) => ('name' in option ? option.name : '')),
			);
		const result = await runOperation(
			etna,
			update,
			{ accountId: 1004, updateFields: { cash: 1000000 } },
			[{}],
		);

		expect(offered.sort()).toEqual([
			'clearingFirm',
			'commissionPlan',
			'enabled',
			'marginType',
			'optionLevel',
			'ownerType',
			'permissions',
			'repCode',
			'status',
		]);
		expect(result.nodeError?.message).toBe(
			'Item 1: Update Fields is empty: add at least one field to change',
		);
		expect(etna.sandbox.apiRequests()).toEqual([]);
	});

	it('says an unknown account was not found, and sends no PUT', async () => {
		const result = await runOperation(
			etna,
			update,
			{ accountId: 424242, updateFields: { repCode: 'R1' } },
			[{}],
			{
				onError: 'continueErrorOutput',
			},
		);

		expect(result.errorOutput[0].json.error).toMatch(
			/^ETNA found no trading account 424242 \(HTTP 404\)/,
		);
		expect(requests().filter((request) => request.startsWith('PUT'))).toEqual([]);
	});
});
