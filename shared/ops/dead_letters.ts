import type { TableSpec, Warehouse } from '../warehouse/warehouse';

/** An event a function gave up on: what it was, why, and when; an operator reads these. */
export interface DeadLetter {
  readonly function_name: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly subject: string | null;
  readonly error_kind: string;
  readonly message: string;
  /** The event's data as JSON (at most about 10 kB). */
  readonly event_data: string;
  readonly recorded_at: string;
}

export const DEAD_LETTERS: TableSpec = {
  dataset: 'dex_ops',
  name: 'dead_letters',
  columns: [
    { name: 'function_name', type: 'STRING', required: true },
    { name: 'event_id', type: 'STRING', required: true },
    { name: 'event_type', type: 'STRING', required: true },
    { name: 'subject', type: 'STRING' },
    { name: 'error_kind', type: 'STRING', required: true },
    { name: 'message', type: 'STRING', required: true },
    { name: 'event_data', type: 'JSON' },
    { name: 'recorded_at', type: 'TIMESTAMP', required: true },
  ],
  partitionBy: { column: 'recorded_at', granularity: 'DAY' },
};

/** Records a dead letter, keyed by function and event id: a redelivered event leaves one row. */
export async function recordDeadLetter(warehouse: Warehouse, letter: DeadLetter): Promise<void> {
  await warehouse.ensureTable(DEAD_LETTERS);
  await warehouse.replaceRows(DEAD_LETTERS, { function_name: letter.function_name, event_id: letter.event_id }, [{ ...letter }]);
}
