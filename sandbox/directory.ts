// ETNA's users (UserModel) and who may use which trading account: what the /users routes and the
// account access routes read and write. Logins compare without case, as ETNA's SQL Server does.
import {
	USER_FIELD_DEFAULTS,
	type Access,
	type AccessType,
	type EditableUserField,
	type EtnaUser,
} from './records';
import { SEED_ACCESS, SEED_USERS } from './seed';

/** The editable fields of a user, as a create or a PUT writes them (absent ones take the default). */
export type UserFields = { [Field in EditableUserField]: EtnaUser[Field] };

export class Directory {
	private readonly users = new Map<number, EtnaUser>();

	private access: Access[] = [];

	constructor() {
		this.reset();
	}

	reset(): void {
		this.users.clear();
		for (const user of SEED_USERS) this.users.set(user.Id, { ...user });
		this.access = SEED_ACCESS.map((access) => ({ ...access }));
	}

	all(): EtnaUser[] {
		return [...this.users.values()];
	}

	get(userId: number): EtnaUser | undefined {
		return this.users.get(userId);
	}

	/** The user with this Login (any case), other than `exceptId`. */
	byLogin(login: string, exceptId?: number): EtnaUser | undefined {
		const wanted = login.toLowerCase();
		return this.all().find((user) => user.Login.toLowerCase() === wanted && user.Id !== exceptId);
	}

	create(fields: UserFields, addedDate: string): EtnaUser {
		const id = Math.max(7000, ...this.users.keys()) + 1;
		const user: EtnaUser = { Id: id, ...fields, AddedDate: addedDate, Deleted: false };
		this.users.set(id, user);
		return user;
	}

	/** Writes every editable field: one the caller left out takes its default (ETNA's full PUT). */
	replace(userId: number, fields: UserFields): EtnaUser {
		const user = this.users.get(userId);
		if (!user) throw new Error(`Unknown sandbox user ${userId}`);
		Object.assign(user, fields);
		return user;
	}

	accessTo(accountId: number): Access[] {
		return this.access.filter((access) => access.accountId === accountId);
	}

	accessOf(userId: number): Access[] {
		return this.access.filter((access) => access.userId === userId);
	}

	/** Gives a user access to an account, replacing any access they had to it. */
	grant(accountId: number, userId: number, accessType: AccessType): void {
		this.revoke(accountId, userId);
		this.access.push({ accountId, userId, accessType });
	}

	revoke(accountId: number, userId: number): void {
		this.access = this.access.filter(
			(access) => access.accountId !== accountId || access.userId !== userId,
		);
	}
}

/** Every editable field from a body: what it gives, or the default for one it leaves out. */
export function userFieldsOf(body: Record<string, unknown>): UserFields {
	const fields = { ...USER_FIELD_DEFAULTS } as UserFields;
	for (const key of Object.keys(USER_FIELD_DEFAULTS) as EditableUserField[]) {
		const value = body[key];
		if (value !== undefined && value !== null) (fields as Record<string, unknown>)[key] = value;
	}
	return fields;
}
