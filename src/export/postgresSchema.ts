/**
 * Creates or migrates our tables, inside the export's transaction (PostgreSQL DDL is transactional, so
 * a failed first export leaves no half-made schema). Numbered migrations are recorded in
 * `ca_schema_migrations` and run once; master columns added to the contract later are added to the
 * table on the next export. DDL is issued only when something is missing: ALTER TABLE and CREATE OR
 * REPLACE VIEW take exclusive locks that would block people reading the tables during every export.
 */
import type pg from 'pg';
import type { Logger } from '../io/log.js';
import {
  CUSTOMER_COLUMNS,
  CUSTOMER_TABLE,
  DAILY_COLUMNS,
  DAILY_TABLE,
  DAILY_VIEW,
  MIGRATIONS_TABLE,
  RUN_COLUMNS,
  RUNS_TABLE,
  formattedSqlType,
  ident,
  sqlType,
} from './pgColumns.js';

interface Migration {
  version: number;
  description: string;
  statements: () => string[];
}

interface ColumnDefinition {
  name: string;
  sql: string;
}

const customerColumns = (): ColumnDefinition[] => [
  ...CUSTOMER_COLUMNS.map((column) => ({ name: column.name, sql: sqlType(column.type) })),
  { name: 'extra', sql: 'jsonb' },
];
const dailyColumns = (): ColumnDefinition[] => DAILY_COLUMNS.map((column) => ({ name: column.name, sql: sqlType(column.type) }));
const runColumns = (): ColumnDefinition[] => [...RUN_COLUMNS];

const NOT_NULL = new Set(['customer_id', 'date', 'location', 'run_id', 'record']);

function columnList(columns: ColumnDefinition[]): string {
  return columns.map((c) => `${ident(c.name)} ${c.sql}${NOT_NULL.has(c.name) ? ' NOT NULL' : ''}`).join(', ');
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: `${CUSTOMER_TABLE} table`,
    statements: () => [
      `CREATE TABLE IF NOT EXISTS ${ident(CUSTOMER_TABLE)} (account text NOT NULL, ${columnList(customerColumns())}, ` +
        'first_exported_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), ' +
        'removed_at timestamptz, PRIMARY KEY (account, customer_id))',
    ],
  },
  {
    version: 2,
    description: `${DAILY_TABLE} table and ${DAILY_VIEW} view`,
    statements: () => [
      `CREATE TABLE IF NOT EXISTS ${ident(DAILY_TABLE)} (account text NOT NULL, ${columnList(dailyColumns())}, ` +
        'updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (account, date, location))',
      `CREATE OR REPLACE VIEW ${ident(DAILY_VIEW)} AS SELECT account, date, location, orders, revenue, ` +
        'unique_customers, new_customers, returning_customers, accepted_bookings, cancellations, no_shows, ' +
        'round(revenue / NULLIF(orders, 0), 2) AS avg_order_value, ' +
        'round(returning_customers::numeric / NULLIF(unique_customers, 0), 4) AS returning_share, ' +
        "date_trunc('week', date)::date AS week_start, date_trunc('month', date)::date AS month_start, " +
        'EXTRACT(ISODOW FROM date)::integer AS iso_weekday, updated_at ' +
        `FROM ${ident(DAILY_TABLE)}`,
    ],
  },
  {
    version: 3,
    description: `${RUNS_TABLE} table`,
    statements: () => [
      `CREATE TABLE IF NOT EXISTS ${ident(RUNS_TABLE)} (account text NOT NULL, ${columnList(runColumns())}, ` +
        'updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (account, run_id))',
    ],
  },
];

export const LATEST_MIGRATION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Adds the contract columns a table lacks; warns about columns whose type someone changed. */
async function ensureColumns(client: pg.Client, table: string, columns: ColumnDefinition[], log: Logger): Promise<void> {
  const existing = await client.query<{ name: string; type: string }>(
    'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute ' +
      'WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped',
    [table],
  );
  const types = new Map(existing.rows.map((row) => [row.name, row.type]));
  for (const column of columns) {
    const found = types.get(column.name);
    if (found === undefined) {
      await client.query(`ALTER TABLE ${ident(table)} ADD COLUMN ${ident(column.name)} ${column.sql}`);
      log.info(`postgres: added column ${table}.${column.name} (${column.sql})`);
    } else if (found !== formattedSqlType(column.sql)) {
      log.warn(`postgres: column ${table}.${column.name} is ${found}, expected ${formattedSqlType(column.sql)}`);
    }
  }
}

export async function ensurePostgresSchema(client: pg.Client, log: Logger): Promise<void> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${ident(MIGRATIONS_TABLE)} (version integer PRIMARY KEY, description text NOT NULL, ` +
      'applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied = await client.query<{ version: number }>(`SELECT version FROM ${ident(MIGRATIONS_TABLE)}`);
  const done = new Set(applied.rows.map((row) => row.version));
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements()) await client.query(statement);
    await client.query(`INSERT INTO ${ident(MIGRATIONS_TABLE)} (version, description) VALUES ($1, $2)`, [
      migration.version,
      migration.description,
    ]);
    log.info(`postgres: applied migration ${migration.version} (${migration.description})`);
  }
  const newest = Math.max(0, ...done);
  if (newest > LATEST_MIGRATION) {
    log.warn(`postgres: the database was migrated by a newer ca (migration ${newest}); this one knows up to ${LATEST_MIGRATION}`);
  }
  await ensureColumns(client, CUSTOMER_TABLE, customerColumns(), log);
  await ensureColumns(client, DAILY_TABLE, dailyColumns(), log);
  await ensureColumns(client, RUNS_TABLE, runColumns(), log);
}
