import { startEtnaSandbox, type EtnaSandbox } from '../sandbox/server';
import { SANDBOX_APP_KEY } from '../sandbox/model';
import { runEtnaNode } from './support/n8nEngine';

let sandbox: EtnaSandbox;
beforeAll(async () => {
	sandbox = await startEtnaSandbox();
});
afterAll(async () => sandbox.close());

test('smoke', async () => {
	const token = sandbox.model.issueToken('admin');
	const result = await runEtnaNode({
		parameters: { accountId: '={{ $json.accountId }}', amount: '={{ $json.amount }}' },
		items: [{ accountId: 1001, amount: 25 }, { accountId: 'x', amount: 1 }],
		credentials: { baseUrl: sandbox.apiUrl, apiVersion: '1.0', appKey: SANDBOX_APP_KEY, authMethod: 'token', token },
		onError: 'continueErrorOutput',
	});
	console.log(JSON.stringify(result.main), JSON.stringify(result.errorOutput), result.nodeError);
	console.log(JSON.stringify(sandbox.apiRequests().map(r=>[r.method, r.url, r.headers])));
});
