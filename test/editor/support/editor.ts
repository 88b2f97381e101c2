// n8n 2.41's editor as a user works it: the nodes panel, the node's panel (NDV), the credential
// dialog and the canvas. Every selector the suite relies on is here, most of them n8n's own test
// ids (`data-test-id`, as in n8n's Playwright page objects, packages/testing/playwright).
import type { Locator, Page } from 'playwright-core';

import { waitFor } from '../../realN8n/waitFor';
import { ETNA_NODE_TYPE } from '../../realN8n/workflows';

/** The little of the DOM the page functions use (the tools' TypeScript has no DOM library). */
interface DomElement {
	readonly innerText: string;
	getAttribute(name: string): string | null;
	querySelector(selector: string): DomElement | null;
	getBoundingClientRect(): { width: number; height: number };
}

interface DomImage extends DomElement {
	readonly complete: boolean;
	readonly naturalWidth: number;
	readonly naturalHeight: number;
	readonly currentSrc: string;
	readonly src: string;
}

export interface IconState {
	/** `img` for a file icon (ours), `svg` for an inline one, `none` for n8n's letter fallback. */
	kind: 'img' | 'svg' | 'none';
	src: string;
	/** The image was fetched and decoded (not a broken image). */
	decoded: boolean;
	/** Its size on screen. */
	width: number;
	height: number;
}

export interface LabelledField {
	/** The parameter's name (the label's `for`). */
	name: string;
	/** What the user reads, with n8n's " *" when it marks the field required. */
	label: string;
}

/**
 * How to read a row as a labelled field: the label is the first line of the text of the row's
 * `labelSelector` match (of the row itself when null; a row with no match is left out), the name
 * the `nameAttribute` of its `nameSelector` match (of the label's element when null).
 */
interface FieldReading {
	labelSelector: string | null;
	nameSelector: string | null;
	nameAttribute: string;
}

export class Editor {
	constructor(
		readonly page: Page,
		readonly url: string,
	) {}

	// ---- the nodes panel -------------------------------------------------------------------

	get nodeCreator(): Locator {
		return this.page.getByTestId('node-creator');
	}

	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.url}/workflow/new`);
		await this.page.getByTestId('node-creator-plus-button').waitFor();
	}

	/** Opens the nodes panel (the canvas's + button) and types in its search bar. */
	async searchNodes(text: string): Promise<void> {
		if (!(await this.nodeCreator.isVisible())) {
			await this.page.getByTestId('node-creator-plus-button').click();
		}
		await this.page.getByTestId('node-creator-search-bar').fill(text);
	}

	/** A row of the nodes panel (a node, or an action of an opened node), by its exact name. */
	creatorItem(name: string): Locator {
		return this.nodeCreator.getByTestId('item-iterator-item').filter({
			has: this.page.getByTestId('node-creator-item-name').getByText(name, { exact: true }),
		});
	}

	/** The names of the panel's rows, in order (section labels have no name and are left out). */
	async creatorItemNames(): Promise<string[]> {
		return await this.nodeCreator
			.getByTestId('node-creator-item-name')
			.filter({ visible: true })
			.allInnerTexts();
	}

	/** The actions panel's section headers, e.g. "Actions (6)". */
	async creatorCategories(): Promise<string[]> {
		return (
			await this.nodeCreator
				.getByTestId('node-creator-category-item')
				.filter({ visible: true })
				.allInnerTexts()
		).map((text) => text.trim());
	}

	/** The icon a panel row shows: what kind, and whether the browser really drew it. */
	async iconOf(item: Locator): Promise<IconState> {
		const icon = item.locator('.n8n-node-icon').filter({ visible: true }).first();
		return await icon.evaluate((element: DomElement): IconState => {
			const image = element.querySelector('img') as DomImage | null;
			if (image) {
				const box = image.getBoundingClientRect();
				return {
					kind: 'img',
					src: image.currentSrc || image.src,
					decoded: image.complete && image.naturalWidth > 0 && image.naturalHeight > 0,
					width: box.width,
					height: box.height,
				};
			}
			const svg = element.querySelector('svg');
			const box = (svg ?? element).getBoundingClientRect();
			return {
				kind: svg ? 'svg' : 'none',
				src: '',
				decoded: Boolean(svg),
				width: box.width,
				height: box.height,
			};
		});
	}

	/**
	 * Opens a section of an opened node, e.g. "Actions (6)": on an empty canvas n8n shows the
	 * package's triggers open and its actions collapsed.
	 */
	async openSection(label: string, item: string): Promise<void> {
		const header = this.nodeCreator
			.getByTestId('node-creator-category-item')
			.filter({ hasText: new RegExp(`^\\s*${label} \\(`) });
		await header.waitFor();
		if (!(await this.creatorItem(item).isVisible())) await header.click();
		await this.creatorItem(item).waitFor();
	}

	/** Searches for the node, opens it, picks the action: n8n adds it (and a trigger) and opens its panel. */
	async addNodeWithAction(nodeName: string, action: string): Promise<void> {
		await this.searchNodes(nodeName);
		await this.creatorItem(nodeName).click();
		await this.openSection('Actions', action);
		await this.creatorItem(action).click();
		await this.ndv.waitFor();
		await this.parameters.waitFor();
	}

	/** On an empty canvas: searches for the node, opens it, picks one of its trigger events. */
	async addTrigger(nodeName: string, event: string): Promise<void> {
		await this.searchNodes(nodeName);
		await this.creatorItem(nodeName).click();
		await this.openSection('Triggers', event);
		await this.creatorItem(event).click();
		await this.ndv.waitFor();
		await this.parameters.waitFor();
	}

	// ---- the node's panel (NDV) --------------------------------------------------------------

	get ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	get parameters(): Locator {
		return this.ndv.getByTestId('node-parameters');
	}

	get outputPanel(): Locator {
		return this.ndv.getByTestId('output-panel');
	}

	/** The visible rows of `testId` in `area`, top to bottom, read as labelled fields. */
	private async labelledFields(
		area: Locator,
		testId: string,
		reading: FieldReading,
	): Promise<LabelledField[]> {
		return await area
			.getByTestId(testId)
			.filter({ visible: true })
			.evaluateAll(
				(elements: DomElement[], { labelSelector, nameSelector, nameAttribute }: FieldReading) =>
					elements.flatMap((element) => {
						const label = labelSelector ? element.querySelector(labelSelector) : element;
						if (!label) return [];
						const named = nameSelector ? element.querySelector(nameSelector) : label;
						// The first line is the label; "Fixed | Expression" and the like follow on hover.
						const text = label.innerText.split('\n')[0].trim();
						return [{ name: named?.getAttribute(nameAttribute) ?? '', label: text }];
					}),
				reading,
			);
	}

	/** The visible parameter labels of the Parameters tab, top to bottom. */
	async parameterFields(): Promise<LabelledField[]> {
		return await this.labelledFields(this.parameters, 'input-label', {
			labelSelector: 'label',
			nameSelector: null,
			nameAttribute: 'for',
		});
	}

	/** One parameter's row (label, input, issue icon). */
	parameterRow(name: string): Locator {
		return this.parameters
			.getByTestId('parameter-item')
			.filter({ has: this.page.locator(`label[for="${name}"]`) })
			.last();
	}

	parameterInput(name: string): Locator {
		return this.parameters.getByTestId(`parameter-input-${name}`).locator('input').first();
	}

	/** Moves the focus out of the field being edited, as a click on the panel's tab does. */
	async leaveField(): Promise<void> {
		await this.ndv.getByTestId('tab-params').click();
	}

	async fillParameter(name: string, value: string): Promise<void> {
		await this.parameterInput(name).fill(value);
		await this.leaveField();
	}

	/**
	 * Types into a parameter as a person does: clicks it, selects what is there, types the text
	 * key by key (each key its own keydown, input and keyup), then leaves the field. Unlike
	 * fillParameter, the input sees every intermediate text, e.g. "-" alone before "-5".
	 */
	async typeParameter(name: string, text: string): Promise<void> {
		const input = this.parameterInput(name);
		await input.click();
		await this.page.keyboard.press('ControlOrMeta+a');
		await input.pressSequentially(text, { delay: 50 });
		await this.leaveField();
	}

	/**
	 * Switches a parameter to Expression, types the expression (e.g. `{{ 1.005 }}`) and waits until
	 * n8n shows its result, `preview` (the editor stores its text a moment after the typing).
	 */
	async setExpression(name: string, expression: string, preview: string): Promise<void> {
		await this.leaveField();
		await this.parameters.getByTestId(`parameter-input-${name}`).hover();
		await this.parameters
			.getByTestId(`${name}-parameter-input-options-container`)
			.getByTestId('radio-button-expression')
			.click();
		const row = this.parameterRow(name);
		// While the field has the focus n8n shows the result in a box under it; after, in a line.
		const result = this.page
			.getByTestId('inline-expression-editor-output')
			.filter({ visible: true });
		const shown = async () => (await result.innerText().catch(() => '')).trim() === preview;
		// n8n fills the switched field with the old value ({{ 0 }}) a moment after the switch; text
		// typed before that lands beside it (seen once in CI: "{{ 1.005 }}{{ 0 }}"). So: select
		// all, replace, and do it again until the result is the expression's alone.
		for (let attempt = 1; ; attempt++) {
			await row.locator('.cm-content').click();
			await this.page.keyboard.press('ControlOrMeta+a');
			await this.page.keyboard.press('Delete');
			// insertText, not typing: the editor would close the braces a second time.
			await this.page.keyboard.insertText(expression);
			try {
				await waitFor(`the result of ${name}'s expression to be ${preview}`, shown, 5_000, 100);
				break;
			} catch (error) {
				if (attempt === 3) throw error;
			}
		}
		await this.leaveField();
		// The line under the field: n8n has stored the expression.
		await row.getByText(preview, { exact: true }).waitFor();
	}

	/** The issue icon n8n puts beside a field it finds wrong (a required one left empty). */
	issueIcon(name: string): Locator {
		return this.parameterRow(name).getByTestId('parameter-issues');
	}

	/** What the issue icon says on hover. */
	async issueText(name: string): Promise<string> {
		await this.issueIcon(name).hover();
		// n8n's tooltips carry no test id or role: the visible floating box that lists the issues.
		const tooltip = this.page
			.locator('.el-popper, [data-reka-popper-content-wrapper]')
			.filter({ visible: true })
			.filter({ hasText: 'Issues' });
		await tooltip.first().waitFor();
		return (await tooltip.first().innerText()).replace(/\s+/g, ' ').trim();
	}

	/**
	 * The options an options collection offers. With several, "Add option" opens a list (left open:
	 * closeOffered() or pickOffered() next); with one, n8n's button adds that one at once.
	 */
	async optionsOffered(collection = 'options'): Promise<string[]> {
		const row = this.parameterRow(collection);
		await row.getByTestId('collection-parameter-add').click();
		const list = this.page.getByTestId('collection-parameter-option').filter({ visible: true });
		const added = row.getByTestId('input-label').nth(1);
		await list.first().or(added).waitFor();
		if ((await list.count()) > 0) return await list.allInnerTexts();
		return [(await added.locator('label').innerText()).split('\n')[0].trim()];
	}

	/** Picks one option of the open "Add option" list. */
	async pickOffered(option: string): Promise<void> {
		await this.page
			.getByTestId('collection-parameter-option')
			.filter({ visible: true })
			.filter({ hasText: option })
			.click();
	}

	/** Closes the "Add option" list, if one is open, without picking. */
	async closeOffered(): Promise<void> {
		const list = this.page.getByTestId('collection-parameter-option').filter({ visible: true });
		if ((await list.count()) === 0) return;
		await this.page.keyboard.press('Escape');
		await list.first().waitFor({ state: 'hidden' });
	}

	/** Flips a boolean parameter's switch. */
	async toggle(name: string): Promise<void> {
		await this.parameters.getByTestId(`parameter-input-${name}`).locator('.el-switch').click();
	}

	/** The value an options parameter (a select) shows. */
	async selectedOption(name: string): Promise<string> {
		return await this.parameterInput(name).inputValue();
	}

	/** Execute step: runs the node (and what comes before it) and waits for its result. */
	async executeStep(): Promise<void> {
		await this.ndv.getByTestId('node-execute-button').click();
		await this.outputPanel
			.locator(
				'[data-test-id="node-run-status-success"], [data-test-id="node-run-status-danger"], [data-test-id="node-error-message"]',
			)
			.first()
			.waitFor({ timeout: 60_000 });
	}

	async closeNdv(): Promise<void> {
		await this.ndv.getByTestId('ndv-close-button').click();
		await this.ndv.waitFor({ state: 'hidden' });
	}

	// ---- credentials ---------------------------------------------------------------------------

	get credentialDialog(): Locator {
		return this.page.getByTestId('editCredential-modal');
	}

	/** From the node's panel: "Connect to ..." when none exists, else the picker's "Create new credential". */
	async openNewCredential(): Promise<Locator> {
		const emptyState = this.ndv.getByTestId('node-credentials-empty-state');
		const picker = this.ndv.getByTestId('node-credentials-select');
		await emptyState.or(picker).first().waitFor();
		if (await emptyState.isVisible()) {
			await emptyState.click();
		} else {
			await picker.click();
			await this.page
				.getByTestId('node-credentials-select-item-new')
				.filter({ visible: true })
				.click();
		}
		await this.credentialDialog.waitFor();
		return this.credentialDialog;
	}

	/** Picks an existing credential in the node's panel by its name. */
	async selectCredential(name: string): Promise<void> {
		const picker = this.ndv.getByTestId('node-credentials-select');
		await picker.click();
		await this.page.getByRole('option').filter({ visible: true }).filter({ hasText: name }).click();
		await picker.locator('input').first().waitFor();
		const shown = await picker.locator('input').first().inputValue();
		if (shown !== name) throw new Error(`The credential picker shows "${shown}", not "${name}"`);
	}

	/** The dialog's fields, top to bottom, as labelled (" *" marks a required one). */
	async credentialFields(): Promise<LabelledField[]> {
		return await this.labelledFields(this.credentialDialog, 'credential-connection-parameter', {
			labelSelector: null,
			nameSelector: '[data-test-id]',
			nameAttribute: 'data-test-id',
		});
	}

	async fillCredential(name: string, value: string): Promise<void> {
		await this.credentialDialog
			.getByTestId(`parameter-input-${name}`)
			.locator('input, textarea')
			.first()
			.fill(value);
	}

	async chooseAuthentication(method: 'Administrator Token' | 'Administrator Login'): Promise<void> {
		await this.credentialDialog.getByTestId('parameter-input-authMethod').click();
		await this.page
			.locator('.el-select-dropdown__item')
			.filter({ visible: true })
			.filter({ hasText: method })
			.click();
		await this.credentialDialog
			.getByTestId('parameter-input-authMethod')
			.locator('input')
			.waitFor();
	}

	/** Save: n8n stores the credential, then runs its Test; resolves with what the Test said. */
	async saveCredential(): Promise<{ status: string; message: string }> {
		const tested = this.page.waitForResponse(
			(response) =>
				response.url().endsWith('/rest/credentials/test') && response.request().method() === 'POST',
			{ timeout: 60_000 },
		);
		await this.page.getByTestId('credential-save-button').click();
		const response = await tested;
		const { data } = (await response.json()) as { data: { status: string; message: string } };
		return data;
	}

	/**
	 * The red banner of a failed Test: n8n says "Couldn’t connect with these settings" and shows the
	 * credential's own message only under "More details". Returns whether that message showed.
	 */
	async credentialTestFailureShows(message: string): Promise<boolean> {
		await this.credentialDialog.getByText('Couldn’t connect with these settings').waitFor();
		await this.credentialDialog.getByText('More details').click();
		const shown = this.credentialDialog.getByText(message, { exact: true });
		await shown.waitFor();
		return await shown.isVisible();
	}

	/** Closes the dialog; when n8n asks whether to close without saving, says yes. */
	async closeCredential(): Promise<void> {
		await this.page.getByRole('button', { name: 'Close this dialog' }).click();
		const confirm = this.page.getByRole('dialog').filter({ hasText: 'Close without saving' });
		// Whichever comes first; the other wait is left to time out on its own.
		const closed = this.credentialDialog
			.waitFor({ state: 'hidden' })
			.then(() => 'closed' as const)
			.catch(() => 'timeout' as const);
		const asked = confirm
			.waitFor()
			.then(() => 'asked' as const)
			.catch(() => 'timeout' as const);
		if ((await Promise.race([closed, asked])) === 'asked') {
			await confirm.getByRole('button', { name: /^Close/ }).click();
			await this.credentialDialog.waitFor({ state: 'hidden' });
		}
	}

	// ---- the canvas ---------------------------------------------------------------------------

	canvasNode(type = ETNA_NODE_TYPE): Locator {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-type="${type}"]`);
	}

	/** The line under the node's name (the node type's `subtitle`). */
	async canvasSubtitle(type = ETNA_NODE_TYPE): Promise<string> {
		// n8n gives it no test id: a CSS-module class whose name contains "subtitle".
		return (await this.canvasNode(type).locator('[class*="subtitle"]').innerText()).trim();
	}

	async openCanvasNode(type = ETNA_NODE_TYPE): Promise<void> {
		await this.canvasNode(type).dblclick();
		await this.ndv.waitFor();
	}
}
