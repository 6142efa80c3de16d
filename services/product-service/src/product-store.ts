import type { Page, Queryable } from '@berth/service-kit';

export interface Product {
  id: number;
  name: string;
  description: string | null;
  price: number;
  category: string | null;
}

export interface ProductFields {
  name?: string;
  description?: string | null;
  price?: number;
  category?: string | null;
}

// price is numeric(10,2); float8 makes both pg and PGlite return a JSON-ready number.
const COLUMNS = 'id, name, description, price::float8 AS price, category';

/** SQL for the products table. Every function is one statement, so each is atomic on its own. */
export class ProductStore {
  constructor(private readonly db: Queryable) {}

  /** Ordered by id; LIMIT NULL (no `limit` given) returns every row. */
  list(category: string | undefined, page: Page): Promise<Product[]> {
    if (category === undefined)
      return this.db.query<Product>(`SELECT ${COLUMNS} FROM products ORDER BY id LIMIT $1 OFFSET $2`, [
        page.limit ?? null,
        page.offset,
      ]);
    return this.db.query<Product>(
      `SELECT ${COLUMNS} FROM products WHERE category = $1 ORDER BY id LIMIT $2 OFFSET $3`,
      [category, page.limit ?? null, page.offset],
    );
  }

  async get(id: number): Promise<Product | undefined> {
    const rows = await this.db.query<Product>(`SELECT ${COLUMNS} FROM products WHERE id = $1`, [id]);
    return rows[0];
  }

  async create(fields: Required<Pick<ProductFields, 'name' | 'price'>> & ProductFields): Promise<Product> {
    const rows = await this.db.query<Product>(
      `INSERT INTO products (name, description, price, category) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [fields.name, fields.description ?? null, fields.price, fields.category ?? null],
    );
    const created = rows[0];
    if (created === undefined) throw new Error('INSERT … RETURNING returned no row');
    return created;
  }

  /** Updates only the given fields; undefined when no product has this id. */
  async update(id: number, fields: ProductFields): Promise<Product | undefined> {
    const assignments: string[] = [];
    const values: unknown[] = [id];
    for (const column of ['name', 'description', 'price', 'category'] as const) {
      if (fields[column] === undefined) continue;
      values.push(fields[column]);
      assignments.push(`${column} = $${values.length}`);
    }
    const rows = await this.db.query<Product>(
      `UPDATE products SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      values,
    );
    return rows[0];
  }

  /** Deletes the product (its inventory row goes with it via ON DELETE CASCADE); false when absent. */
  async delete(id: number): Promise<boolean> {
    const rows = await this.db.query<{ id: number }>('DELETE FROM products WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }
}
