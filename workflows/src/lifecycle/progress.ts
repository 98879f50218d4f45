/**
 * Stage, tables and rows done, rate and ETA of a step that works table by table, as the status
 * query shows it while the step runs. The clock starts with the stage (`clock: 'start'`) or with the
 * first table worked on (`clock: 'first table'`); until then `before` describes the stage.
 */
export class TableProgress {
  private stage = '';
  private tables: { table: string; rows: number }[] = [];
  private done: { table: string; rows: number }[] = [];
  private current: string | undefined;
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

  start(stage: string, tables: { table: string; rows: number }[]): void {
    Object.assign(this, { stage, tables, done: [], current: undefined, startedAt: this.options.clock === 'start' ? Date.now() : 0 });
  }
  stageIs(stage: string): void {
    this.stage = stage;
    this.current = undefined;
  }
  working(table: string): void {
    if (!this.startedAt) this.startedAt = Date.now();
    this.current = table;
  }
  finished(table: string, rows: number): void {
    this.done.push({ table, rows });
    this.current = undefined;
  }
  describe(): string | undefined {
    if (!this.stage) return undefined;
    const total = this.tables.reduce((n, t) => n + t.rows, 0);
    if (!this.startedAt && this.options.before) return `${this.stage} — ${this.options.before(total, this.tables.length)}`;
    const rowsDone = this.done.reduce((n, c) => n + c.rows, 0);
    const rowsTotal = Math.max(rowsDone, total);
    const seconds = (Date.now() - this.startedAt) / 1000;
    const rate = seconds > 0 ? Math.round(rowsDone / seconds) : 0;
    const eta = rate > 0 && this.done.length < this.tables.length ? `, ETA ${Math.ceil((rowsTotal - rowsDone) / rate)} s` : '';
    const verb = this.options.verb ? `${this.options.verb} ` : '';
    return `${this.stage} — ${verb}${this.done.length}/${this.tables.length} tables, ${rowsDone}/${rowsTotal} rows${rate ? `, ${rate} rows/s` : ''}${eta}${this.current ? ` (now ${this.current})` : ''}`;
  }
}
