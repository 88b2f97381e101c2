// The node in n8n's editor, in a real browser, as a back-office administrator meets it: found in
// the nodes panel, added operation by operation, connected through the credential dialog, run with
// Execute step against the sandbox, and never showing a secret to the page. One n8n (the pinned
// one, the package installed from its tarball) and one Chromium for the whole file; a screenshot
// per step in test/editor/artifacts (ETNA_EDITOR_ARTIFACTS), one more at the end of every test.
import { launchEditorBrowser, type EditorBrowser } from './support/browser';
import { Editor, type LabelledField } from './support/editor';
import { log, Screenshots } from './support/artifacts';
import { freshSandboxBeforeEach, userNamed } from '../realN8n/sandboxWorld';
import { urlsOf } from '../support/sandboxRequests';
import {
	IMPORTED_CREDENTIAL,
	secretsOf,
	startEditorWorld,
	stopEditorWorld,
	type EditorWorld,
} from './support/world';

const NODE = 'ETNA Trader';

interface OperationCase {
	action: string;
	resource: string;
	operation: string;
	/** The Parameters tab's labels, top to bottom, as n8n shows them. */
	fields: string[];
	/** What "Add option" offers. */
	options: string[];
	moneyMoves: boolean;
	/** What the canvas says under the node once it is set up, when it is not "Reads only". */
	subtitle?: string;
	hasReturnAll: boolean;
}

const MONEY_OPTIONS = [
	'Allow Without Human Review',
	'Concurrency',
	'Dry Run',
	'Idempotency Key',
	'Maximum Amount',
	'Reconcile Unknown Outcomes',
	'Skip If Already Paid Since',
	'Timeout',
	'Trust Approval in Chat',
];
const LIST_OPTIONS = ['Fields', 'Filter', 'Sort By', 'Sort Descending', 'Timeout'];
/** Every read of one record (Get, Get Balance, Get Users, Get Trading Accounts). */
const READ_OPTIONS = ['Fields', 'Timeout'];
const WRITE_OPTIONS = ['Allow Without Human Review', 'Timeout', 'Trust Approval in Chat'];
const CREATE_OPTIONS = [
	'Allow Without Human Review',
	'If Exists',
	'Timeout',
	'Trust Approval in Chat',
];

/** A read of one record: its fields, then Options with Timeout. */
function read(
	action: string,
	resource: string,
	operation: string,
	fields: string[],
): OperationCase {
	return {
		action,
		resource,
		operation,
		fields: ['Resource', 'Operation', ...fields, 'Options'],
		options: READ_OPTIONS,
		moneyMoves: false,
		hasReturnAll: false,
	};
}

/** A paged list, per account when `accountId`. */
function list(action: string, resource: string, perAccount: boolean): OperationCase {
	return {
		action,
		resource,
		operation: 'Get Many',
		fields: [
			'Resource',
			'Operation',
			...(perAccount ? ['Account ID'] : []),
			'Return All',
			'Limit',
			'Options',
		],
		options: LIST_OPTIONS,
		moneyMoves: false,
		hasReturnAll: true,
	};
}

/** A write of a record (a user, an account, an access). */
function write(
	action: string,
	resource: string,
	operation: string,
	fields: string[],
	options = WRITE_OPTIONS,
): OperationCase {
	return {
		action,
		resource,
		operation,
		fields: ['Resource', 'Operation', ...fields, 'Options'],
		options,
		moneyMoves: false,
		hasReturnAll: false,
		subtitle: 'Changes ETNA',
	};
}

const OPERATIONS: OperationCase[] = [
	read('Get an order', 'Order', 'Get', ['Account ID', 'Order ID']),
	list('Get many orders of a trading account', 'Order', true),
	{
		...read('Get a position by symbol', 'Position', 'Get', ['Account ID', 'Symbol']),
		options: ['Currency', 'Exchange', 'Fields', 'Timeout'],
	},
	list('Get many positions of a trading account', 'Position', true),
	write('Add a user to a trading account', 'Trading Account', 'Add User', [
		'Account ID',
		'User ID',
		'Access',
	]),
	write(
		'Create a trading account',
		'Trading Account',
		'Create',
		['Clearing Account', 'Currency', 'Margin Type', 'Additional Fields'],
		CREATE_OPTIONS,
	),
	{
		action: 'Deposit funds to a trading account',
		resource: 'Trading Account',
		operation: 'Deposit',
		fields: ['Resource', 'Operation', 'Account ID', 'Amount', 'Options'],
		options: MONEY_OPTIONS,
		moneyMoves: true,
		subtitle: 'Puts money in',
		hasReturnAll: false,
	},
	{
		action: 'Get a trading account',
		resource: 'Trading Account',
		operation: 'Get',
		fields: ['Resource', 'Operation', 'Account ID', 'Options'],
		options: READ_OPTIONS,
		moneyMoves: false,
		subtitle: 'Reads only',
		hasReturnAll: false,
	},
	{
		action: 'Get the balance of a trading account',
		resource: 'Trading Account',
		operation: 'Get Balance',
		fields: ['Resource', 'Operation', 'Account ID', 'Options'],
		options: READ_OPTIONS,
		moneyMoves: false,
		subtitle: 'Reads only',
		hasReturnAll: false,
	},
	{
		action: 'Get many trading accounts',
		resource: 'Trading Account',
		operation: 'Get Many',
		fields: ['Resource', 'Operation', 'Return All', 'Limit', 'Options'],
		options: LIST_OPTIONS,
		moneyMoves: false,
		subtitle: 'Reads only',
		hasReturnAll: true,
	},
	read('Get the users of a trading account', 'Trading Account', 'Get Users', ['Account ID']),
	write('Remove a user from a trading account', 'Trading Account', 'Remove User', [
		'Account ID',
		'User ID',
	]),
	write('Update a trading account', 'Trading Account', 'Update', ['Account ID', 'Update Fields']),
	{
		action: 'Withdraw funds from a trading account',
		resource: 'Trading Account',
		operation: 'Withdraw',
		fields: ['Resource', 'Operation', 'Account ID', 'Amount', 'Options'],
		options: [
			...MONEY_OPTIONS.slice(0, 6),
			'Require Withdrawable Funds',
			...MONEY_OPTIONS.slice(6),
		],
		moneyMoves: true,
		subtitle: 'Takes money out',
		hasReturnAll: false,
	},
	{
		action: 'Get many transactions of a trading account',
		resource: 'Transaction',
		operation: 'Get Many',
		fields: ['Resource', 'Operation', 'Account ID', 'Return All', 'Limit', 'Options'],
		options: LIST_OPTIONS,
		moneyMoves: false,
		subtitle: 'Reads only',
		hasReturnAll: true,
	},
	write(
		'Create a user',
		'User',
		'Create',
		['Login', 'First Name', 'Last Name', 'Email', 'Send Invitation Email', 'Additional Fields'],
		CREATE_OPTIONS,
	),
	read('Get a user', 'User', 'Get', ['User ID']),
	list('Get many users', 'User', false),
	read('Get the trading accounts of a user', 'User', 'Get Trading Accounts', ['User ID']),
	write('Update a user', 'User', 'Update', ['User ID', 'Send Invitation Email', 'Update Fields']),
];

const WITHDRAW = 'Withdraw funds from a trading account';

/**
 * The credential dialog's fields, top to bottom: those of either method, the method's own
 * (`methodFields`), then n8n's own, which it adds to every credential on 2.x.
 */
function credentialFieldsWith(...methodFields: LabelledField[]): LabelledField[] {
	return [
		{ name: 'baseUrl', label: 'Base URL *' },
		{ name: 'apiVersion', label: 'API Version' },
		{ name: 'appKey', label: 'App Key *' },
		{ name: 'authMethod', label: 'Authentication' },
		...methodFields,
		{ name: 'allowedHttpRequestDomains', label: 'Allowed HTTP Request Domains' },
	];
}

/** n8n's own trigger suggestions at the top of any action node's panel. */
const N8N_TRIGGER_SUGGESTIONS = ['On a Schedule', 'On a Webhook call'];

let world: EditorWorld | undefined;
let browser: EditorBrowser | undefined;
let editor: Editor;
let shots: Screenshots;
/** The page's HTML at the end of every test, for the secrets check. */
const pageHtml: Array<{ after: string; html: string }> = [];

function ready(): { world: EditorWorld; browser: EditorBrowser } {
	if (!world || !browser) throw new Error('n8n or Chromium did not start (see beforeAll)');
	return { world, browser };
}

async function shot(label: string): Promise<string> {
	return await shots.take(ready().browser.page, label);
}

/** A screen the README shows, saved under docs/images by `npm run docs:screenshots`. */
async function docsPicture(name: string): Promise<void> {
	await shots.forDocs(ready().browser.page, name);
}

function labels(fields: LabelledField[]): string[] {
	return fields.map((field) => field.label);
}

/** A new workflow with the ETNA node on the Withdraw action, the imported credential picked. */
async function withdrawNode(): Promise<void> {
	await editor.newWorkflow();
	await editor.addNodeWithAction(NODE, WITHDRAW);
	await editor.selectCredential(IMPORTED_CREDENTIAL);
}

/**
 * Opens a new credential and fills in the sandbox's Base URL, an App Key (the sandbox's unless
 * given) and, when `tokenOf` names a user, a token the sandbox issues that user (the dialog's
 * default method).
 */
async function newSandboxCredential({
	appKey = ready().world.appKey,
	tokenOf,
}: { appKey?: string; tokenOf?: string } = {}): Promise<void> {
	const { sandbox } = ready().world;
	await editor.openNewCredential();
	await editor.fillCredential('baseUrl', `${sandbox.apiUrl}/`);
	await editor.fillCredential('appKey', appKey);
	if (tokenOf !== undefined)
		await editor.fillCredential('token', sandbox.model.issueToken(tokenOf));
}

/** Save's Test failed with `message`, shown under "More details"; a screenshot, then closed. */
async function expectTestFailure(
	result: { status: string; message: string },
	message: string,
	label: string,
): Promise<void> {
	expect(result).toEqual({ status: 'Error', message });
	expect(await editor.credentialTestFailureShows(message)).toBe(true);
	await shot(label);
	await editor.closeCredential();
}

beforeAll(async () => {
	shots = new Screenshots();
	world = await startEditorWorld();
	browser = await launchEditorBrowser(world.server.url, world.authCookie);
	editor = new Editor(browser.page, world.server.url);
}, 20 * 60_000);

afterEach(async () => {
	if (!browser) return;
	const name = expect.getState().currentTestName ?? 'a test';
	await shots.take(browser.page, `end of ${name}`).catch((error: unknown) => {
		log(`no screenshot after "${name}": ${String(error)}`);
	});
	// A credential dialog a failed test left open would block every later step.
	if (await editor.credentialDialog.isVisible()) {
		await editor
			.closeCredential()
			.catch((error: unknown) => log(`dialog left open: ${String(error)}`));
	}
	pageHtml.push({ after: name, html: await browser.page.content().catch(() => '') });
});

afterAll(async () => {
	// Chromium and n8n both stop, whatever failed before; the first failure is reported.
	const failures: unknown[] = [];
	await browser?.close().catch((error: unknown) => failures.push(error));
	await stopEditorWorld(world).catch((error: unknown) => failures.push(error));
	if (shots) log(`${shots.taken.length} screenshots in ${shots.folder}`);
	if (browser && browser.traffic.pageErrors.length > 0) {
		log(`errors the editor's scripts threw: ${browser.traffic.pageErrors.join(' | ')}`);
	}
	if (failures.length > 0) throw failures[0];
}, 120_000);

describe('the nodes panel', () => {
	it('lists ETNA Trader when searching "ETNA", with its own icon drawn', async () => {
		await editor.newWorkflow();
		await editor.searchNodes('ETNA');
		const item = editor.creatorItem(NODE);
		await item.waitFor();
		await shot('nodes panel, search ETNA');
		await docsPicture('nodes-panel');

		expect((await editor.creatorItemNames())[0]).toBe(NODE);
		const icon = await editor.iconOf(item);
		expect(icon).toEqual({
			kind: 'img',
			src: expect.stringMatching(
				/\/icons\/n8n-nodes-etna-trader\/dist\/nodes\/EtnaTrader\/etnaTrader\.svg$/,
			),
			decoded: true,
			width: expect.any(Number),
			height: expect.any(Number),
		});
		expect(icon.width).toBeGreaterThan(10);
		expect(icon.height).toBeGreaterThan(10);
	});

	it("offers the trigger's two events and every operation of every resource as an action", async () => {
		await editor.creatorItem(NODE).click();
		await editor.openSection('Actions', WITHDRAW);
		await shot('triggers and actions of ETNA Trader');

		const names = await editor.creatorItemNames();
		expect(names.filter((name) => !N8N_TRIGGER_SUGGESTIONS.includes(name))).toEqual([
			'On new transaction',
			'On new trading account',
			...OPERATIONS.map((operation) => operation.action),
		]);
		expect(await editor.creatorCategories()).toEqual(
			expect.arrayContaining(['Triggers (2)', `Actions (${OPERATIONS.length})`]),
		);
	});
});

describe('adding the node', () => {
	it.each(OPERATIONS)(
		'opens "$action" with exactly the fields of $resource > $operation and its options',
		async (operation) => {
			await editor.newWorkflow();
			await editor.addNodeWithAction(NODE, operation.action);
			await shot(`panel of ${operation.action}`);

			expect(await editor.selectedOption('resource')).toBe(operation.resource);
			expect(await editor.selectedOption('operation')).toBe(operation.operation);
			expect(labels(await editor.parameterFields())).toEqual(operation.fields);
			if (operation.moneyMoves) expect(await editor.parameterInput('amount').inputValue()).toBe('');

			expect(await editor.optionsOffered()).toEqual(operation.options);
			await shot(`options of ${operation.action}`);
			await editor.closeOffered();

			if (operation.hasReturnAll) {
				await editor.toggle('returnAll');
				expect(labels(await editor.parameterFields())).toEqual(
					operation.fields.filter((field) => field !== 'Limit'),
				);
				await shot(`${operation.action} with Return All on`);
			}

			await editor.closeNdv();
			expect(await editor.canvasSubtitle()).toBe(operation.subtitle ?? 'Reads only');
			await shot(`canvas with ${operation.action}`);
		},
	);

	it('marks an empty Account ID as required once the user leaves it; n8n gives an empty Amount no mark', async () => {
		await editor.newWorkflow();
		await editor.addNodeWithAction(NODE, WITHDRAW);
		await editor.parameterInput('accountId').click();
		await editor.parameterInput('amount').click();
		await editor.leaveField();

		expect(await editor.issueText('accountId')).toBe('Issues: Parameter "Account ID" is required.');
		await shot('Account ID marked required');
		// n8n 2.41 flags only empty text, option and date fields (n8n-workflow's
		// addToIssuesIfMissing), never a number; the node refuses an empty Amount when run.
		expect(await editor.issueIcon('amount').count()).toBe(0);
	});
});

describe('the credential dialog', () => {
	beforeAll(async () => {
		await editor.newWorkflow();
		await editor.addNodeWithAction(NODE, WITHDRAW);
	});

	it('shows, for an Administrator Token, exactly Base URL, API Version, App Key, Authentication and Token, the required ones starred', async () => {
		await editor.openNewCredential();
		await shot('credential dialog, token method');
		await docsPicture('credential-dialog');

		expect(await editor.credentialFields()).toEqual(
			credentialFieldsWith({ name: 'token', label: 'Token *' }),
		);
		expect(
			await editor.credentialDialog
				.getByTestId('parameter-input-authMethod')
				.locator('input')
				.inputValue(),
		).toBe('Administrator Token');
		await editor.closeCredential();
	});

	it('shows, for an Administrator Login, Username, Password and an optional Security PIN instead of the Token', async () => {
		await editor.openNewCredential();
		await editor.chooseAuthentication('Administrator Login');
		await shot('credential dialog, login method');

		expect(await editor.credentialFields()).toEqual(
			credentialFieldsWith(
				{ name: 'username', label: 'Username *' },
				{ name: 'password', label: 'Password *' },
				{ name: 'pinCode', label: 'Security PIN' },
			),
		);
		await editor.closeCredential();
	});

	it("names the cause when the token is not an administrator's (HTTP 401)", async () => {
		await newSandboxCredential({ tokenOf: 'trader' });
		const result = await editor.saveCredential();
		await shot('credential test, non-admin token');

		await expectTestFailure(
			result,
			"ETNA refused the token (HTTP 401): it is not an ETNA administrator's token, or it has expired",
			'credential test, non-admin token, more details',
		);
	});

	it('names the cause when the App Key is wrong (HTTP 403)', async () => {
		await newSandboxCredential({ appKey: 'not-the-app-key', tokenOf: 'admin' });
		const result = await editor.saveCredential();

		await expectTestFailure(
			result,
			'ETNA refused the App Key (HTTP 403): the Et-App-Key is wrong; copy it from BO Companies, WebApi tab',
			'credential test, wrong app key, more details',
		);
	});

	it("tests an administrator's token on Save, and the dialog closes by itself", async () => {
		await newSandboxCredential({ tokenOf: 'admin' });
		await shot('credential dialog, good token filled in');
		const result = await editor.saveCredential();

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		await editor.credentialDialog.waitFor({ state: 'hidden' });
		await shot('credential saved, back in the node panel');
	});

	it("tests an administrator's login on Save, and the dialog closes by itself", async () => {
		const { world: current } = ready();
		const admin = userNamed(current, 'admin');
		await newSandboxCredential();
		await editor.chooseAuthentication('Administrator Login');
		await editor.fillCredential('username', admin.username);
		await editor.fillCredential('password', admin.password);
		const logins = current.sandbox.logins();
		const result = await editor.saveCredential();

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(current.sandbox.logins()).toBe(logins + 1);
		await editor.credentialDialog.waitFor({ state: 'hidden' });
		await shot('login credential saved');
	});
});

describe('Execute step', () => {
	freshSandboxBeforeEach(() => ready().world.sandbox);

	it("withdraws with exactly one request and shows ETNA's answer in the output", async () => {
		const { world: current } = ready();
		await withdrawNode();
		await editor.fillParameter('accountId', '1001');
		await editor.fillParameter('amount', '10');
		await editor.executeStep();
		await shot('withdrawal executed, table view');
		await docsPicture('withdraw-node');

		expect(urlsOf(current.moneyRequests())).toEqual([
			'/api/v1.0/accounts/1001/withdrawal?withdrowalValue=10',
		]);
		expect(current.sandbox.model.cashOf(1001)).toBe(99990);
		await editor.outputPanel.getByTestId('run-data-item-count').waitFor();
		expect(await editor.outputPanel.getByTestId('run-data-item-count').innerText()).toBe('1 item');
		await editor.outputPanel.getByTestId('radio-button-json').click();
		await editor.outputPanel.getByText('"CreateDate"').waitFor();
		const json = (await editor.outputPanel.innerText()).replace(/\s+/g, '');
		await shot('withdrawal executed, JSON view');
		expect(json).toContain('"Amount":-10');
		expect(json).toContain('"accountId":1001');
		expect(await editor.outputPanel.getByTestId('node-run-status-success').count()).toBe(1);
	});

	it("shows the node's message for an amount with three decimals and sends nothing", async () => {
		await withdrawNode();
		await editor.fillParameter('accountId', '1001');
		await editor.setExpression('amount', '{{ 1.005 }}', '1.005');
		await editor.executeStep();
		await shot('bad amount executed');
		await docsPicture('error-item');

		const message = await editor.outputPanel.getByTestId('node-error-message').innerText();
		expect(message).toMatch(/^Item 1: Amount 1\.005 is not valid: /);
		expect(await editor.outputPanel.getByTestId('node-error-description').innerText()).toContain(
			'Outcome: not sent (nothing reached ETNA)',
		);
		expect(ready().world.sandbox.apiRequests()).toEqual([]);
	});

	// Typed key by key, not an expression: n8n's number input (Element Plus's) applies the field's
	// numberPrecision and minValue. With { minValue: 0.01, numberPrecision: 2 } n8n 2.41.1 showed,
	// and withdrew without a word, 1.01 for 1.005, 10.56 for 10.555, 0.01 for 0 and 5.00 for -5
	// (the typed minus sign was dropped). The field has neither now: the value stays as typed and
	// the node itself refuses it.
	it.each([
		{ typed: '1.005', refusal: /^Item 1: Amount 1\.005 is not valid: it must be a number above 0/ },
		{
			typed: '10.555',
			refusal: /^Item 1: Amount 10\.555 is not valid: it must be a number above 0/,
		},
		{ typed: '0', refusal: /^Item 1: Amount 0 is not valid: it must be a number above 0/ },
		{ typed: '-5', refusal: /^Item 1: Amount -5 is not valid: it must be a number above 0/ },
	])(
		"keeps a typed Amount of $typed as typed, shows the node's refusal of it and sends nothing",
		async ({ typed, refusal }) => {
			await withdrawNode();
			await editor.fillParameter('accountId', '1001');
			await editor.typeParameter('amount', typed);
			const shown = await editor.parameterInput('amount').inputValue();
			await shot(`Amount ${typed} typed`);
			await editor.executeStep();
			await shot(`Amount ${typed} executed`);

			// Whatever the node did, read it all before asserting, so a failure shows the whole story.
			const error = editor.outputPanel.getByTestId('node-error-message');
			const ran = editor.outputPanel.getByTestId('node-run-status-success');
			await error.or(ran).first().waitFor();
			const message =
				(await error.count()) > 0 ? await error.innerText() : 'the node ran, no error';
			const description =
				(await error.count()) > 0
					? await editor.outputPanel.getByTestId('node-error-description').innerText()
					: '';
			const withdrawals = urlsOf(ready().world.moneyRequests());
			expect({ shown, message, description, withdrawals }).toEqual({
				shown: typed,
				message: expect.stringMatching(refusal),
				description: expect.stringContaining('Outcome: not sent (nothing reached ETNA)'),
				withdrawals: [],
			});
			expect(ready().world.sandbox.apiRequests()).toEqual([]);
		},
	);

	it("shows the node's message for an Amount left empty and sends nothing", async () => {
		await withdrawNode();
		await editor.fillParameter('accountId', '1001');
		await editor.executeStep();
		await shot('empty amount executed');

		expect(await editor.outputPanel.getByTestId('node-error-message').innerText()).toMatch(
			/^Item 1: Amount is empty: it must be a number above 0/,
		);
		expect(ready().world.sandbox.apiRequests()).toEqual([]);
	});
});

describe('the canvas', () => {
	it('shows the node with the subtitle "Takes money out", and "Dry run: sends nothing" once Dry Run is on', async () => {
		await withdrawNode();
		await editor.fillParameter('accountId', '1001');
		await editor.fillParameter('amount', '10');
		await editor.closeNdv();
		expect(await editor.canvasSubtitle()).toBe('Takes money out');
		await shot('canvas, Withdraw node subtitle');

		await editor.openCanvasNode();
		await editor.optionsOffered();
		await editor.pickOffered('Dry Run');
		await editor.toggle('dryRun');
		await shot('Dry Run on');
		await editor.closeNdv();
		expect(await editor.canvasSubtitle()).toBe('Dry run: sends nothing');
		await shot('canvas, Withdraw node in dry run');
	});

	it('says "without human review" under the node once Allow Without Human Review is on', async () => {
		// The option matters once an AI Agent uses the node: the canvas says so.
		await withdrawNode();
		await editor.fillParameter('accountId', '1001');
		await editor.fillParameter('amount', '10');
		await editor.optionsOffered();
		await editor.pickOffered('Allow Without Human Review');
		await editor.toggle('allowWithoutHumanReview');
		await editor.closeNdv();
		expect(await editor.canvasSubtitle()).toBe('Takes money out, without human review');
		await shot('canvas, Withdraw node without human review');
	});
});

describe('the trigger', () => {
	it('opens On New Transaction with its event, All Accounts and Account IDs; Account IDs goes once All Accounts is on', async () => {
		await editor.newWorkflow();
		await editor.addTrigger(NODE, 'On new transaction');
		await editor.fillParameter('accountIds', '1001, 1002');
		await shot('trigger, New Transaction');
		await docsPicture('trigger-node');

		const fields = labels(await editor.parameterFields());
		expect(fields).toEqual(expect.arrayContaining(['Event', 'All Accounts', 'Account IDs']));
		await editor.toggle('allAccounts');
		expect(labels(await editor.parameterFields())).not.toContain('Account IDs');
		await shot('trigger, All Accounts on');
		await editor.closeNdv();
	});
});

describe('secrets', () => {
	it('leaves no token, app key or password in the page, its storage, or anything n8n sent to it', async () => {
		const { world: current, browser: open } = ready();
		// The stored credentials, opened again: n8n sends their data to the dialog.
		await open.page.goto(`${current.server.url}/home/credentials`);
		const cards = open.page.getByTestId('resources-list-item');
		await cards.first().waitFor();
		const names = await cards.allInnerTexts();
		for (const index of names.keys()) {
			await cards.nth(index).click();
			await editor.credentialDialog.waitFor();
			await editor.closeCredential();
		}
		await shot('credentials list');
		await open.settle();

		const storage = {
			local: await open.page.evaluate<string>('JSON.stringify({ ...localStorage })'),
			session: await open.page.evaluate<string>('JSON.stringify({ ...sessionStorage })'),
		};
		const state = JSON.stringify(await open.context.storageState({ indexedDB: true }));
		// The HTML is taken with no dialog open: while the credential dialog is open, n8n renders the
		// typed App Key and Token into its password inputs' value attributes (n8n's own rendering).
		const places: Array<{ where: string; text: string }> = [
			...pageHtml.map(({ after, html }) => ({
				where: `the page's HTML after "${after}"`,
				text: html,
			})),
			{ where: "the page's HTML at the end", text: await open.page.content() },
			{ where: 'localStorage', text: storage.local },
			{ where: 'sessionStorage', text: storage.session },
			{ where: 'cookies, localStorage and IndexedDB', text: state },
			...open.traffic.responses.map((response) => ({
				where: `the answer to ${response.url}`,
				text: response.body,
			})),
			...open.traffic.pushMessages.map((message, index) => ({
				where: `push message #${index + 1}`,
				text: message,
			})),
		];
		log(
			`searched ${places.length} places: ${pageHtml.length + 1} page snapshots, ${open.traffic.responses.length} answers (${open.traffic.staticFiles} static files not kept), ${open.traffic.pushMessages.length} push messages`,
		);
		// The record is not empty: it holds the credential tests and their stored data.
		const urls = open.traffic.responses.map((response) => new URL(response.url).pathname);
		expect(urls).toContain('/rest/credentials/test');
		expect(
			urls.filter((url) => /^\/rest\/credentials\/[A-Za-z0-9]+$/.test(url)).length,
		).toBeGreaterThan(1);
		expect(open.traffic.pushMessages.length).toBeGreaterThan(0);

		const secrets = secretsOf(current);
		expect(secrets.length).toBeGreaterThan(5);
		const leaks = secrets.flatMap((secret) =>
			places
				.filter((place) => place.text.includes(secret.value))
				.map((place) => {
					const at = place.text.indexOf(secret.value);
					const before = place.text.slice(Math.max(0, at - 120), at);
					return `${secret.name} in ${place.where}, after: ${before}`;
				}),
		);
		expect(leaks).toEqual([]);
	});
});
