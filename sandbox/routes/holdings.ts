// Positions and orders of an account: GET .../positions (paged; pageNumber, pageSize, sortField
// and desc required; pages of at most 99), GET .../positions/{symbol} (a list; currency and
// exchange narrow it), GET .../orders (paged; pageNumber and pageSize required, the sort optional;
// pages of at most 100) and GET .../orders/{orderId}.
import type { FieldSchema } from '../filters';
import { answer, refusal, type ApiAnswer } from '../http';
import { accountOf, type ApiCall, type SandboxContext } from './context';
import { listAnswer } from './lists';

export const POSITION_FIELDS: FieldSchema = {
	Id: 'number',
	AccountId: 'number',
	SecurityId: 'number',
	Symbol: 'string',
	Name: 'string',
	CompanyName: 'string',
	SecurityCurrency: 'string',
	SecurityType: 'string',
	Exchange: 'string',
	CostBasis: 'number',
	CreateDate: 'date',
	ModifyDate: 'date',
	Quantity: 'number',
	RealizedProfitLoss: 'number',
	AverageOpenPrice: 'number',
};

export const ORDER_FIELDS: FieldSchema = {
	Id: 'number',
	AccountId: 'number',
	UserId: 'number',
	SecurityId: 'number',
	Symbol: 'string',
	Side: 'string',
	Type: 'string',
	Quantity: 'number',
	ExecutedQuantity: 'number',
	Price: 'number',
	AveragePrice: 'number',
	Status: 'string',
	CreateDate: 'date',
	TransactionDate: 'date',
};

/** ETNA's docs: "the preferable size of the page (maximum value is 99)". */
export const POSITIONS_PAGE_CAP = 99;
/** ETNA's docs: "The maximum value for this parameter is 100." */
export const ORDERS_PAGE_CAP = 100;

export function listPositions(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	return listAnswer(context, call.url, context.model.holdings.positionsOf(found.account.Id), {
		fields: POSITION_FIELDS,
		sortField: 'sortField',
		direction: { parameter: 'desc', trueMeansDescending: true },
		noLink: '',
		pageCap: POSITIONS_PAGE_CAP,
	});
}

export function positionBySymbol(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	const symbol = decodeURIComponent(call.segments[4] ?? '').toUpperCase();
	const currency = call.url.searchParams.get('currency')?.toUpperCase();
	const exchange = call.url.searchParams.get('exchange')?.toUpperCase();
	return answer(
		200,
		context.model.holdings
			.positionsOf(found.account.Id)
			.filter(
				(position) =>
					position.Symbol.toUpperCase() === symbol &&
					(!currency || position.SecurityCurrency.toUpperCase() === currency) &&
					(!exchange || position.Exchange.toUpperCase() === exchange),
			),
	);
}

export function listOrders(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	return listAnswer(context, call.url, context.model.holdings.ordersOf(found.account.Id), {
		fields: ORDER_FIELDS,
		sortField: 'sortField',
		direction: { parameter: 'desc', trueMeansDescending: true },
		noLink: '',
		pageCap: ORDERS_PAGE_CAP,
		sortOptional: true,
	});
}

export function getOrder(context: SandboxContext, call: ApiCall): ApiAnswer {
	const found = accountOf(context, call);
	if ('refused' in found) return found.refused;
	const idSegment = call.segments[4] ?? '';
	if (!/^\d+$/.test(idSegment) || Number(idSegment) > 2147483647) {
		return refusal(422, `The value '${idSegment}' is not valid for orderId.`);
	}
	const order = context.model.holdings
		.ordersOf(found.account.Id)
		.find((candidate) => candidate.Id === Number(idSegment));
	return order ? answer(200, order) : refusal(404, `Order ${idSegment} was not found.`);
}
