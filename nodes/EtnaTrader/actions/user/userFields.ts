// A user's fields as the editor offers them and as ETNA names them (UserModel), checked and
// mapped in one place for Create and Update.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	allChecked,
	checkBoolean,
	checkDateTime,
	checkEmail,
	checkOneOf,
	checkOptionalText,
	checkText,
	mapChecked,
	type Checked,
} from '../../helpers/validation';

export const SALUTATIONS = ['NoSalutation', 'Mr', 'Mrs', 'Ms', 'Dr', 'Sir', 'Madam'] as const;
export const SUFFIXES = ['NoSuffix', 'Jr', 'Sr', 'Second', 'Third', 'Fourth'] as const;

const SALUTATION_NAMES: Record<(typeof SALUTATIONS)[number], string> = {
	NoSalutation: 'None',
	Mr: 'Mr',
	Mrs: 'Mrs',
	Ms: 'Ms',
	Dr: 'Dr',
	Sir: 'Sir',
	Madam: 'Madam',
};
const SUFFIX_NAMES: Record<(typeof SUFFIXES)[number], string> = {
	NoSuffix: 'None',
	Jr: 'Jr',
	Sr: 'Sr',
	Second: 'II',
	Third: 'III',
	Fourth: 'IV',
};

export const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@email.com',
	default: '',
	description: "The user's email address: ETNA sends the invitation there",
};

const nameField = (displayName: string, name: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
});

/** The optional fields, in n8n's A-Z order; `withNames`: Update may also change the required ones. */
export function userFieldOptions(withNames: boolean): INodeProperties[] {
	const fields: INodeProperties[] = [
		...(withNames ? [emailField] : []),
		{
			displayName: 'Enabled',
			name: 'enabled',
			type: 'boolean',
			default: true,
			description: 'Whether the user may log in and trade',
		},
		{
			displayName: 'Entitlements Phone Number',
			name: 'entitlementsPhoneNumber',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Expiration Date',
			name: 'expirationDate',
			type: 'dateTime',
			default: '',
			description: 'The day ETNA disables the user',
		},
		...(withNames
			? [nameField('First Name', 'firstName'), nameField('Last Name', 'lastName')]
			: []),
		nameField('Middle Name', 'middleName'),
		{ displayName: 'Phone Number', name: 'phoneNumber', type: 'string', default: '' },
		{
			displayName: 'Salutation',
			name: 'salutation',
			type: 'options',
			options: SALUTATIONS.map((value) => ({ name: SALUTATION_NAMES[value], value })),
			default: 'NoSalutation',
		},
		{
			displayName: 'Suffix',
			name: 'suffix',
			type: 'options',
			options: SUFFIXES.map((value) => ({ name: SUFFIX_NAMES[value], value })),
			default: 'NoSuffix',
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'string',
			default: '',
			placeholder: 'e.g. Eastern Standard Time',
			description: "The user's time zone as ETNA names it (a Windows time zone ID)",
		},
	];
	return fields;
}

/** Each editor field, checked, as ETNA names it. */
const FIELD_CHECKS: Record<
	string,
	{ etna: string; check: (given: unknown, timeZone: string) => Checked<unknown> }
> = {
	email: { etna: 'EmailAddress', check: (given) => checkEmail(given) },
	enabled: { etna: 'Enabled', check: (given) => checkBoolean(given, 'enabled', 'Enabled') },
	entitlementsPhoneNumber: {
		etna: 'EntitlementsPhoneNumber',
		check: (given) =>
			checkOptionalText(given, 'entitlementsPhoneNumber', 'Entitlements Phone Number'),
	},
	expirationDate: {
		etna: 'ExpirationDate',
		check: (given, timeZone) => checkDateTime(given, 'expirationDate', 'Expiration Date', timeZone),
	},
	firstName: { etna: 'FirstName', check: (given) => checkText(given, 'firstName', 'First Name') },
	lastName: { etna: 'LastName', check: (given) => checkText(given, 'lastName', 'Last Name') },
	middleName: {
		etna: 'Middle',
		check: (given) => checkOptionalText(given, 'middleName', 'Middle Name'),
	},
	phoneNumber: {
		etna: 'PhoneNumber',
		check: (given) => checkOptionalText(given, 'phoneNumber', 'Phone Number'),
	},
	salutation: {
		etna: 'Salutation',
		check: (given) => checkOneOf(given, 'salutation', 'Salutation', SALUTATIONS),
	},
	suffix: { etna: 'Suffix', check: (given) => checkOneOf(given, 'suffix', 'Suffix', SUFFIXES) },
	timeZone: {
		etna: 'TimeZoneInfoId',
		check: (given) => checkOptionalText(given, 'timeZone', 'Time Zone'),
	},
};

/**
 * The fields the user set, checked and named as ETNA names them. An optional text left empty is
 * sent empty (it clears the field); a field the editor does not know is refused.
 */
export function userChangesOf(
	fields: Record<string, unknown>,
	timeZone: string,
): Checked<IDataObject> {
	const checks: Record<string, Checked<unknown>> = {};
	for (const [name, given] of Object.entries(fields)) {
		const known = FIELD_CHECKS[name];
		checks[name] = known
			? known.check(given, timeZone)
			: {
					ok: false,
					problem: {
						field: name,
						label: name,
						given,
						rule: 'be one of the fields the node offers',
					},
				};
	}
	return mapChecked(allChecked(checks), (values) => {
		const changes: IDataObject = {};
		for (const [name, value] of Object.entries(values)) {
			changes[FIELD_CHECKS[name].etna] = (value ??
				(name === 'expirationDate' ? null : '')) as IDataObject[string];
		}
		return changes;
	});
}
