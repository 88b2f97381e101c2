// What accounts hold and what they asked for: positions and orders, read by the positions and
// orders routes. The sandbox does not trade: tests add positions and orders directly.
import type { Order, Position } from './records';
import { SEED_ORDERS, SEED_POSITIONS } from './seed';

export class Holdings {
	private positions: Position[] = [];

	private orders: Order[] = [];

	constructor() {
		this.reset();
	}

	reset(): void {
		this.positions = SEED_POSITIONS.map((position) => ({ ...position }));
		this.orders = SEED_ORDERS.map((order) => ({ ...order }));
	}

	positionsOf(accountId: number): Position[] {
		return this.positions.filter((position) => position.AccountId === accountId);
	}

	ordersOf(accountId: number): Order[] {
		return this.orders.filter((order) => order.AccountId === accountId);
	}

	/** Adds a position like the seeded ones, with the next Id (for tests of paging). */
	addPosition(fields: Partial<Position> & Pick<Position, 'AccountId' | 'Symbol'>): Position {
		const id = Math.max(21000, ...this.positions.map((position) => position.Id)) + 1;
		const template = SEED_POSITIONS[0];
		const position: Position = { ...template, Id: id, SecurityId: 4000 + id, ...fields };
		this.positions.push(position);
		return position;
	}

	/** Adds an order like the seeded ones, with the next Id. */
	addOrder(fields: Partial<Order> & Pick<Order, 'AccountId'>): Order {
		const id = Math.max(73000, ...this.orders.map((order) => order.Id)) + 1;
		const order: Order = { ...SEED_ORDERS[0], Id: id, ...fields };
		this.orders.push(order);
		return order;
	}
}
