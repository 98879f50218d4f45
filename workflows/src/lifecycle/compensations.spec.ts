import { Compensations } from './compensations';

describe('Compensations', () => {
  it('undoes newest first and forgets what it ran', async () => {
    const done: string[] = [];
    const c = new Compensations();
    c.add('restore backup', async () => void done.push('restore backup'));
    c.add('drop new tables', async () => void done.push('drop new tables'));
    expect(c.pending).toEqual(['restore backup', 'drop new tables']);
    expect(await c.run()).toEqual(['drop new tables', 'restore backup']);
    expect(done).toEqual(['drop new tables', 'restore backup']);
    expect(c.pending).toEqual([]);
    expect(await c.run()).toEqual([]);
  });

  it('has nothing to undo once cleared after a successful cutover', async () => {
    const c = new Compensations();
    c.add('restore backup', () => Promise.reject(new Error('must not run')));
    c.clear();
    expect(await c.run()).toEqual([]);
  });
});
