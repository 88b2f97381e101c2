// POST /accounts and PUT /accounts/{id}: AccountEditableModel in the body, `ClearingAccount` and
// `Currency` required (checked before this, contract.ts). The PUT writes the whole model, as
// ETNA's does: a field left out is reset to its default, Cash included (a node that forgets to
// send back what it read empties the account). Nothing makes ClearingAccount unique.
import type { AccountWrite } from '../model';
import { answer, refusal, type ApiAnswer } from '../http';
import { publicAccount } from '../model';
import {
	ACCOUNT_SETTING_DEFAULTS,
	ACCOUNT_STATUSES,
	MARGIN_TYPES,
	OWNER_TYPES,
	type AccountSettings,
	type AccountStatus,
} from '../records';
import { accountOf, bodyOf, type ApiCall, type SandboxContext } from './context';

const PERMISSIONS = [
	'Empty',
	'LongStock',
	'ShortStock',
	'LongOption',
	'ShortOption',
	'AllowTrade',
	'AllowMargin',
	'AllowOpen',
];

type Read<T> = { value: T } | { problem: string };

function oneOf(
	body: Record<string, unknown>,
	name: string,
	known: readonly string[],
	absent: string,
): Read<string> {
	const value = body[name] ?? absent;
	return typeof value === 'string' && known.includes(value)
		? { value }
		: { problem: `The value '${String(value)}' is not valid for ${name}.` };
}

function settingsOf(body: Record<string, unknown>): Read<AccountSettings> {
	const settings = { ...ACCOUNT_SETTING_DEFAULTS } as AccountSettings;
	for (const [name, fallback] of Object.entries(ACCOUNT_SETTING_DEFAULTS)) {
		const value = body[name];
		if (value === undefined || value === null) continue;
		if (
			typeof value !== typeof fallback ||
			(typeof value === 'number' && !Number.isFinite(value))
		) {
			return { problem: `The value of ${name} is not valid.` };
		}
		(settings as Record<string, unknown>)[name] = value;
	}
	const permissions = String(settings.Permissions)
		.split(',')
		.map((flag) => flag.trim());
	if (permissions.some((flag) => !PERMISSIONS.includes(flag))) {
		return { problem: `The value '${settings.Permissions}' is not valid for Permissions.` };
	}
	if (!(OWNER_TYPES as readonly string[]).includes(String(settings.OwnerType))) {
		return { problem: `The value '${settings.OwnerType}' is not valid for OwnerType.` };
	}
	return { value: settings };
}

/** The model a body writes, or the web API's 422; `creating`: an absent Status becomes New. */
function accountWriteOf(body: Record<string, unknown>, creating: boolean): Read<AccountWrite> {
	const { ClearingAccount, Currency, Enabled = false, Cash = 0 } = body;
	if (typeof ClearingAccount !== 'string')
		return { problem: 'The value of ClearingAccount is not valid.' };
	// ETNA's docs: "At the moment only US dollars are supported."
	if (Currency !== 'USD')
		return { problem: `The currency '${String(Currency)}' is not supported.` };
	if (typeof Enabled !== 'boolean') return { problem: 'The value of Enabled is not valid.' };
	if (typeof Cash !== 'number' || !Number.isFinite(Cash))
		return { problem: 'The value of Cash is not valid.' };
	const status = oneOf(body, 'Status', ACCOUNT_STATUSES, 'UnSpecified');
	if ('problem' in status) return status;
	const marginType = oneOf(body, 'MarginType', MARGIN_TYPES, 'Empty');
	if ('problem' in marginType) return marginType;
	const settings = settingsOf(body);
	if ('problem' in settings) return settings;
	return {
		value: {
			ClearingAccount,
			Currency,
			Enabled,
			Status: creating && status.value === 'UnSpecified' ? 'New' : (status.value as AccountStatus),
			MarginType: marginType.value,
			cashCents: Math.round(Cash * 100),
			settings: settings.value,
		},
	};
}

export function createAccount(context: SandboxContext, call: ApiCall): ApiAnswer {
	const parsed = bodyOf(call);
	if ('refused' in parsed) return parsed.refused;
	const write = accountWriteOf(parsed.body, true);
	if ('problem' in write) return refusal(422, write.problem);
	return answer(200, publicAccount(context.model.createAccount(write.value)));
}

export function updateAccount(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	const parsed = bodyOf(call);
	if ('refused' in parsed) return parsed.refused;
	const write = accountWriteOf(parsed.body, false);
	if ('problem' in write) return refusal(422, write.problem);
	return answer(200, publicAccount(context.model.replaceAccount(found.account.Id, write.value)));
}
