// POST /token: a login by Username and Password, in two steps for a two-factor user.
import { answer, headerValue, refusal, type ApiAnswer } from '../http';
import type { ApiCall, SandboxContext } from './context';

const INVALID_CREDENTIALS = {
	State: 'Failed',
	Step: 'BaseAuthentication',
	Reason: 'Invalid credentials',
};

export function handleToken(context: SandboxContext, { request, method }: ApiCall): ApiAnswer {
	if (method !== 'POST') return refusal(405, 'Use POST.');
	const { model } = context;
	const username = headerValue(request, 'username') ?? '';
	const password = headerValue(request, 'password') ?? '';
	const user = model.users.get(username);
	if (!user) return answer(401, INVALID_CREDENTIALS);
	const succeeded = (): ApiAnswer => {
		context.countLogin();
		return answer(200, { State: 'Succeeded', Token: model.issueToken(username) });
	};
	if (user.verificationCode === undefined) {
		return password === user.password ? succeeded() : answer(401, INVALID_CREDENTIALS);
	}
	const code = headerValue(request, 'verificationcode');
	const interim = (headerValue(request, 'authorization') ?? '').replace(/^Bearer /, '');
	const interimToken = model.lookupToken(interim);
	if (code !== undefined && interimToken?.interim && interimToken.username === username) {
		if (code !== user.verificationCode) {
			return answer(401, { State: 'Failed', Step: 'VerificationCode', Reason: 'Invalid code' });
		}
		return succeeded();
	}
	if (password !== user.password) return answer(401, INVALID_CREDENTIALS);
	return answer(202, {
		State: 'Expecting',
		Step: 'VerificationCode',
		Reason: 'Expecting confirmation code',
		Token: model.issueToken(username, true),
	});
}
