// GET /accounts/{id}/info: the balance, including `excess`, what may be withdrawn now.
import { answer, type ApiAnswer } from '../http';
import { accountInfo } from '../model';
import { accountOf, type ApiCall, type SandboxContext } from './context';

export function getAccountInfo(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	return 'refused' in found ? found.refused : answer(200, accountInfo(found.account));
}
