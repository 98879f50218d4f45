/**
 * Stage, tables and rows done, rate and ETA of a step that works table by table, as the status
 * query shows it while the step runs. The clock starts with the stage (`clock: 'start'`) or with the
 * first table worked on (`clock: 'first table'`); until then `before` describes the stage. Several
 * units may be worked on at once (parallel copy lanes): `working` adds one, `idle` or `finished`
 * takes it off.
 */
export class TableProgress {
  private stage = '';
  private tableCount = 0;
  private rowCount = 0;
  private tablesDone = 0;
  private rowsDone = 0;
  /** Units being worked on now, in the order they started. */
  private readonly current = new Set<string>();
  private startedAt = 0;

  constructor(
    private readonly options: {
      clock: 'start' | 'first table';
      /** Word before the table count, e.g. `purged`. */
      verb?: string;
      /** Before the clock starts: e.g. the rows to be worked on. */
      before?: (rows: number, tables: number) => string;
    },
  ) {}

  /** A stage over these tables: nothing done yet. */
  start(stage: string, tables: { table: string; rows: number }[]): void {
    this.restart(stage);
    this.planned(
      tables.length,
      tables.reduce((n, t) => n + t.rows, 0),
    );
  }
  /** The tables and rows to work on, once known. */
  planned(tables: number, rows: number): void {
    this.tableCount = tables;
    this.rowCount = rows;
  }
  /** A new stage over the same tables, counted from zero (e.g. verifying after copying). */
  restart(stage: string): void {
    this.stage = stage;
    this.tablesDone = 0;
    this.rowsDone = 0;
    this.current.clear();
    this.startedAt = this.options.clock === 'start' ? Date.now() : 0;
  }
  /** A new stage that keeps what is done. */
  stageIs(stage: string): void {
    this.stage = stage;
    this.current.clear();
  }
  working(unit: string): void {
    if (!this.startedAt) this.startedAt = Date.now();
    this.current.add(unit);
  }
  idle(unit: string): void {
    this.current.delete(unit);
  }
  finished(table: string, rows: number): void {
    this.tablesDone += 1;
    this.rowsDone += rows;
    this.current.delete(table);
  }
  describe(): string | undefined {
    if (!this.stage) return undefined;
    if (!this.tableCount) return this.stage;
    if (!this.startedAt && this.options.before) return `${this.stage} — ${this.options.before(this.rowCount, this.tableCount)}`;
    const rowsTotal = Math.max(this.rowsDone, this.rowCount);
    const seconds = (Date.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? Math.round(this.rowsDone / seconds) : 0;
    const eta = rate > 0 && this.tablesDone < this.tableCount ? `, ETA ${Math.ceil((rowsTotal - this.rowsDone) / rate)} s` : '';
    const verb = this.options.verb ? `${this.options.verb} ` : '';
    const now = this.current.size ? ` (now ${[...this.current].join(', ')})` : '';
    return `${this.stage} — ${verb}${this.tablesDone}/${this.tableCount} tables, ${this.rowsDone}/${rowsTotal} rows${rate ? `, ${rate} rows/s` : ''}${eta}${now}`;
  }
}
