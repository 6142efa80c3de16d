import {
  PG_FOREIGN_KEY_VIOLATION,
  PG_NUMERIC_OUT_OF_RANGE,
  PG_UNIQUE_VIOLATION,
  sqlState,
  HttpError,
  type Page,
  type Queryable,
} from '@berth/service-kit';

export interface InventoryItem {
  id: number;
  product_id: number;
  quantity: number;
  warehouse: string | null;
  last_updated: string;
}

interface InventoryRow extends Omit<InventoryItem, 'last_updated'> {
  last_updated: Date;
}

export interface InventoryFields {
  quantity?: number;
  warehouse?: string | null;
}

const COLUMNS = 'id, product_id, quantity, warehouse, last_updated';

function toItem(row: InventoryRow): InventoryItem {
  return { ...row, last_updated: row.last_updated.toISOString() };
}

export type AdjustOutcome =
  { kind: 'adjusted'; item: InventoryItem } | { kind: 'not-found' } | { kind: 'insufficient'; available: number };

/** SQL for the inventory table. Every function is one statement (plus a read on failure), each atomic. */
export class InventoryStore {
  constructor(private readonly db: Queryable) {}

  /** Ordered by id; LIMIT NULL (no `limit` given) returns every row. */
  async list(page: Page): Promise<InventoryItem[]> {
    const rows = await this.db.query<InventoryRow>(`SELECT ${COLUMNS} FROM inventory ORDER BY id LIMIT $1 OFFSET $2`, [
      page.limit ?? null,
      page.offset,
    ]);
    return rows.map(toItem);
  }

  async get(id: number): Promise<InventoryItem | undefined> {
    const row = (await this.db.query<InventoryRow>(`SELECT ${COLUMNS} FROM inventory WHERE id = $1`, [id]))[0];
    return row && toItem(row);
  }

  async getByProduct(productId: number): Promise<InventoryItem | undefined> {
    const row = (
      await this.db.query<InventoryRow>(`SELECT ${COLUMNS} FROM inventory WHERE product_id = $1`, [productId])
    )[0];
    return row && toItem(row);
  }

  /** The database enforces both rules (foreign key, unique product_id), so concurrent creates cannot slip past a check. */
  async create(productId: number, quantity: number, warehouse: string | null): Promise<InventoryItem> {
    try {
      const rows = await this.db.query<InventoryRow>(
        `INSERT INTO inventory (product_id, quantity, warehouse) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [productId, quantity, warehouse],
      );
      const row = rows[0];
      if (row === undefined) throw new Error('INSERT … RETURNING returned no row');
      return toItem(row);
    } catch (error) {
      if (sqlState(error) === PG_FOREIGN_KEY_VIOLATION) throw new HttpError(404, { detail: 'Product not found' });
      if (sqlState(error) === PG_UNIQUE_VIOLATION) {
        throw new HttpError(409, {
          detail: `Product ${productId} already has inventory; update it with PUT /inventory/{id} instead`,
        });
      }
      throw error;
    }
  }

  async update(id: number, fields: InventoryFields): Promise<InventoryItem | undefined> {
    const assignments: string[] = [];
    const values: unknown[] = [id];
    for (const column of ['quantity', 'warehouse'] as const) {
      if (fields[column] === undefined) continue;
      values.push(fields[column]);
      assignments.push(`${column} = $${values.length}`);
    }
    const rows = await this.db.query<InventoryRow>(
      `UPDATE inventory SET ${assignments.join(', ')}, last_updated = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      values,
    );
    return rows[0] && toItem(rows[0]);
  }

  async delete(id: number): Promise<boolean> {
    return (await this.db.query('DELETE FROM inventory WHERE id = $1 RETURNING id', [id])).length > 0;
  }

  /**
   * Adds delta in a single conditional UPDATE: the row lock PostgreSQL takes makes concurrent
   * adjustments serialize, and the WHERE clause re-checked after the lock means the quantity can
   * never go negative, whatever the interleaving.
   */
  async adjust(id: number, delta: number): Promise<AdjustOutcome> {
    let rows: InventoryRow[];
    try {
      rows = await this.db.query<InventoryRow>(
        `UPDATE inventory SET quantity = quantity + $2, last_updated = now() WHERE id = $1 AND quantity + $2 >= 0 RETURNING ${COLUMNS}`,
        [id, delta],
      );
    } catch (error) {
      if (sqlState(error) === PG_NUMERIC_OUT_OF_RANGE) {
        throw new HttpError(422, {
          detail: `Adjusting by ${delta} would exceed the largest storable quantity (2147483647)`,
        });
      }
      throw error;
    }
    const row = rows[0];
    if (row !== undefined) return { kind: 'adjusted', item: toItem(row) };
    const current = await this.get(id);
    return current === undefined ? { kind: 'not-found' } : { kind: 'insufficient', available: current.quantity };
  }
}
