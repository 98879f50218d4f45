/**
 * Orders tables parents-first by foreign keys (Kahn's algorithm). Tables on a cycle (including
 * via several tables) cannot be ordered; they are appended by name and reported, which is safe
 * because the engine loads data before it creates any foreign key.
 */
export function foreignKeyOrder(tables: string[], edges: { child: string; parent: string }[]): { order: string[]; cycles: string[][] } {
  const set = new Set(tables);
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set()]));
  for (const e of edges) if (set.has(e.child) && set.has(e.parent) && e.child !== e.parent) parents.get(e.child)!.add(e.parent);
  const order: string[] = [];
  const done = new Set<string>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const t of [...tables].sort()) {
      if (done.has(t)) continue;
      if ([...parents.get(t)!].every((p) => done.has(p))) {
        order.push(t);
        done.add(t);
        progress = true;
      }
    }
  }
  const rest = tables.filter((t) => !done.has(t)).sort();
  return { order: [...order, ...rest], cycles: stronglyConnected(rest, parents) };
}

function stronglyConnected(nodes: string[], parents: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let i = 0;
  const visit = (v: string) => {
    index.set(v, i);
    low.set(v, i);
    i++;
    stack.push(v);
    on.add(v);
    for (const w of parents.get(v) ?? []) {
      if (!nodes.includes(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out;
}
