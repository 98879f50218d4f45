/** Undo steps registered as cutover progresses; run newest first so the target ends as it began. */
export class Compensations {
  private readonly steps: { name: string; undo: () => Promise<void> }[] = [];

  add(name: string, undo: () => Promise<void>): void {
    this.steps.push({ name, undo });
  }

  get pending(): string[] {
    return this.steps.map((s) => s.name);
  }

  async run(): Promise<string[]> {
    const done: string[] = [];
    for (const step of [...this.steps].reverse()) {
      await step.undo();
      done.push(step.name);
    }
    this.steps.length = 0;
    return done;
  }

  /** After a successful cutover the steps no longer apply. */
  clear(): void {
    this.steps.length = 0;
  }
}
