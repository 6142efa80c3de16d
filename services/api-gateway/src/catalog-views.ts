/** Joins product-service and inventory-service answers into the gateway's combined views. */

interface ProductRecord {
  id: number;
  [field: string]: unknown;
}

interface InventoryRecord {
  product_id: number;
  quantity: number;
  warehouse: string | null;
}

export interface StockSummary {
  quantity: number;
  warehouse: string | null;
}

function stockOf(item: InventoryRecord): StockSummary {
  return { quantity: item.quantity, warehouse: item.warehouse };
}

/**
 * The product with `inventory` added, or unchanged (no key) when it has no inventory row. The
 * product is a record freshly parsed from a service's answer and owned by the caller, so the key
 * is added in place: copying every product (object spread) cost more than the JSON work itself on
 * a large catalogue.
 */
export function productWithStock(product: ProductRecord, item: InventoryRecord | undefined): ProductRecord {
  if (item !== undefined) product.inventory = stockOf(item);
  return product;
}

/** Every product with its stock, from one product list and one inventory list (two calls in total). */
export function productsWithStock(products: ProductRecord[], inventory: InventoryRecord[]): ProductRecord[] {
  const byProduct = new Map<number, InventoryRecord>();
  for (const item of inventory) byProduct.set(item.product_id, item);
  for (const product of products) productWithStock(product, byProduct.get(product.id));
  return products;
}
