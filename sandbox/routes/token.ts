// POST /token: a login by Username and Password, and for some users a second step (ETNA's docs):
// a security PIN (a fixed secret) or a one-time verification code. The first call answers 202
// with a step token; the second sends the same headers, the step token as a Bearer and the
// step's own header.
import { answer, headerValue, refusal, type ApiAnswer } from '../http';
import type { SandboxUser } from '../model';
import type { ApiCall, SandboxContext } from './context';

const INVALID_CREDENTIALS = {
	State: 'Failed',
	Step: 'BaseAuthentication',
	Reason: 'Invalid credentials',
};

/** The second steps ETNA's docs describe, by the user field that holds the expected answer. */
const SECOND_STEPS = {
	securityPin: {
		step: 'SecutityPin',
		header: 'pincode',
		expecting: 'Expecting security pin',
		wrong: 'Invalid pin',
	},
	verificationCode: {
		step: 'VerificationCode',
		header: 'verificationcode',
		expecting: 'Expecting confirmation code',
		wrong: 'Invalid code',
	},
} as const;

/** The user's second step, if any, with the answer it expects (header names in lower case). */
function secondStepOf(user: SandboxUser) {
	for (const field of ['securityPin', 'verificationCode'] as const) {
		const expected = user[field];
		if (expected !== undefined) return { ...SECOND_STEPS[field], expected };
	}
	return undefined;
}

export function handleToken(context: SandboxContext, { request, method }: ApiCall): ApiAnswer {
	if (method !== 'POST') return refusal(405, 'Use POST.');
	const { model } = context;
	const username = headerValue(request, 'username') ?? '';
	const password = headerValue(request, 'password') ?? '';
	const user = model.users.get(username);
	if (!user || password !== user.password) return answer(401, INVALID_CREDENTIALS);
	const succeeded = (): ApiAnswer => {
		context.countLogin();
		return answer(200, { State: 'Succeeded', Token: model.issueToken(username) });
	};
	const second = secondStepOf(user);
	if (!second) return succeeded();
	const given = headerValue(request, second.header);
	if (given === undefined) {
		return answer(202, {
			State: 'Expecting',
			Step: second.step,
			Reason: second.expecting,
			Token: model.issueToken(username, true),
		});
	}
	const stepToken = (headerValue(request, 'authorization') ?? '').replace(/^Bearer /, '');
	const issued = model.lookupToken(stepToken);
	if (!issued?.interim || issued.username !== username) {
		return answer(401, { State: 'Failed', Step: second.step, Reason: 'Corrupted ticket' });
	}
	if (given !== second.expected) {
		return answer(401, { State: 'Failed', Step: second.step, Reason: second.wrong });
	}
	return succeeded();
}
