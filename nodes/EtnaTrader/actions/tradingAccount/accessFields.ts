// Access levels as ETNA names them (the wire) and as the editor shows them.
export const ACCESS_TYPES = ['Full', 'ReadOnly', 'ClosePositionsOnly'] as const;
export type AccessType = (typeof ACCESS_TYPES)[number];

export const ACCESS_NAMES: Record<AccessType, string> = {
	Full: 'Full',
	ReadOnly: 'Read Only',
	ClosePositionsOnly: 'Close Positions Only',
};

/** The user a relation (UserToAccountRelationModel) is about. */
export function relationUserId(relation: Record<string, unknown>): number | undefined {
	const user = relation.UserModel;
	if (typeof user !== 'object' || user === null) return undefined;
	const id = (user as Record<string, unknown>).UserId;
	return typeof id === 'number' ? id : undefined;
}
