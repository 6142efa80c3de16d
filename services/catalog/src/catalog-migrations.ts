import type { Migration } from '@berth/service-kit';

/** The access role each service's database user is given: only the privileges its routes use. */
export const PRODUCT_SERVICE_ROLE = 'catalog_product_writer';
export const INVENTORY_SERVICE_ROLE = 'catalog_inventory_writer';

/**
 * The schema product-service and inventory-service share (one database, as in the system they
 * replace). Both services apply this list at start-up, as the database owner; the advisory lock
 * makes that safe. Never edit a released migration: add a new version.
 */
export const CATALOG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create products and inventory',
    sql: `
      CREATE TABLE IF NOT EXISTS products (
        id serial PRIMARY KEY,
        name varchar(255) NOT NULL,
        description text,
        price numeric(10,2) NOT NULL,
        category varchar(100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS idx_products_category ON products (category);
      CREATE TABLE IF NOT EXISTS inventory (
        id serial PRIMARY KEY,
        product_id integer NOT NULL UNIQUE REFERENCES products (id) ON DELETE CASCADE,
        quantity integer NOT NULL DEFAULT 0,
        warehouse varchar(100),
        last_updated timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS idx_inventory_product_id ON inventory (product_id);
    `,
  },
  {
    version: 2,
    name: 'seed products 1-5 and their stock',
    // Only an empty database is seeded, so pointing Berth at an existing database keeps its data.
    sql: `
      DO $seed$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM products) THEN
          INSERT INTO products (id, name, description, price, category) VALUES
            (1, 'Laptop Dell XPS 13', 'Ultrabook with a 13-inch InfinityEdge display', 1299.99, 'Electronics'),
            (2, 'Mouse Logitech MX Master', 'Ergonomic wireless mouse', 99.99, 'Electronics'),
            (3, 'Teclado Mecánico', 'Mechanical keyboard with RGB backlight', 149.99, 'Electronics'),
            (4, 'Monitor 4K', '27-inch UHD monitor', 499.99, 'Electronics'),
            (5, 'Webcam HD', '1080p webcam with built-in microphone', 79.99, 'Electronics');
          PERFORM setval(pg_get_serial_sequence('products', 'id'), (SELECT max(id) FROM products));
          INSERT INTO inventory (product_id, quantity, warehouse) VALUES
            (1, 50, 'Warehouse A'),
            (2, 150, 'Warehouse A'),
            (3, 75, 'Warehouse B'),
            (4, 30, 'Warehouse A'),
            (5, 100, 'Warehouse B');
        END IF;
      END
      $seed$;
    `,
  },
  {
    version: 3,
    name: 'access roles for the product and inventory services',
    // Roles belong to the cluster, not the database, so another database on the same server may have
    // created them already (or be creating them right now): both cases are fine. The referential
    // actions (the foreign-key check on insert, the cascade on product delete) run as the tables'
    // owner, so neither role needs privileges on the other service's table.
    sql: `
      DO $roles$
      BEGIN
        BEGIN
          CREATE ROLE ${PRODUCT_SERVICE_ROLE} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
        BEGIN
          CREATE ROLE ${INVENTORY_SERVICE_ROLE} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
      END
      $roles$;
      GRANT SELECT, INSERT, UPDATE, DELETE ON products TO ${PRODUCT_SERVICE_ROLE};
      GRANT USAGE, SELECT ON SEQUENCE products_id_seq TO ${PRODUCT_SERVICE_ROLE};
      GRANT SELECT, INSERT, UPDATE, DELETE ON inventory TO ${INVENTORY_SERVICE_ROLE};
      GRANT USAGE, SELECT ON SEQUENCE inventory_id_seq TO ${INVENTORY_SERVICE_ROLE};
    `,
  },
];
