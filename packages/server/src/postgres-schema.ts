import type { ClientBase } from 'pg';

/**
 * The Postgres store's schema, one migration per version, applied in order and never edited once
 * released (a change is a new entry). `downhill_migrations` records which are applied.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: runs (the summary as JSON text, the columns the list sorts and filters by) and events keyed
  // by (run, seq). `run_no` keeps the event key small and lets a deleted run's id be reused
  // without its old events. No foreign key from events to runs: its per-row check took a third
  // of a commit's time, and a commit takes `run_no` from the run it upserts in the same
  // statement. The partial index serves the non-step reads of downsampling (a few rows among
  // millions of steps).
  `CREATE TABLE downhill_runs (
     run_no bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     run_id text NOT NULL UNIQUE,
     status text NOT NULL,
     started_at double precision NOT NULL,
     summary text NOT NULL
   );
   CREATE INDEX downhill_runs_started_at ON downhill_runs (started_at DESC, run_no);
   CREATE TABLE downhill_events (
     run_no bigint NOT NULL,
     seq bigint NOT NULL CHECK (seq >= 0),
     type text NOT NULL,
     loss double precision,
     json text NOT NULL,
     PRIMARY KEY (run_no, seq)
   );
   CREATE INDEX downhill_events_non_step ON downhill_events (run_no, seq) WHERE type <> 'step';`,
];

/** Any constant both servers agree on: the key of the advisory lock that serializes migrations. */
const MIGRATION_LOCK = 0x646f776e; // "down"

/**
 * Brings the schema up to date in one transaction. Servers opening the same database at once
 * take turns (an advisory lock), so each migration runs once; a database newer than this code is
 * refused rather than written in a shape it does not know.
 */
export async function migratePostgres(client: ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS downhill_migrations (
         version integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM downhill_migrations',
    );
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(
        `the database's schema is at version ${current}, newer than this @downhill/server knows (${POSTGRES_MIGRATIONS.length}): upgrade the server`,
      );
    }
    for (let version = current + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
      await client.query(POSTGRES_MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO downhill_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
