/**
 * Just enough SQL lexing to find which objects a script creates, alters or drops: comments are
 * removed, string literals and dollar-quoted bodies are blanked (so a CREATE inside a function
 * body or a string does not count), double-quoted identifiers are kept exactly.
 */

/** The SQL with comments removed and literals replaced by `''` / `$$`; identifiers untouched. */
export function stripLiteralsAndComments(sql: string): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
      out += ' ';
    } else if (c === '/' && next === '*') {
      // PostgreSQL block comments nest.
      let depth = 0;
      do {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      } while (i < n && depth > 0);
      out += ' ';
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(sql[i - 1]!) && (i < 2 || !/[A-Za-z0-9_]/.test(sql[i - 2]!));
      i++;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      out += "''";
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') break;
        else i++;
      }
      i++;
      out += sql.slice(start, i);
    } else if (c === '$' && (i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]!))) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (m) {
        const tag = m[0];
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? n : end + tag.length;
        out += '$$';
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Top-level statements (after stripping), trimmed, empty ones dropped. */
export function splitStatements(sql: string): string[] {
  return stripLiteralsAndComments(sql)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export type Token =
  | { t: 'word'; v: string } // unquoted: folded to lower case as PostgreSQL does
  | { t: 'ident'; v: string } // "quoted": exact
  | { t: 'punct'; v: string };

export function tokenize(stmt: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|"((?:[^"]|"")*)"|([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)|(.)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(stmt))) {
    if (m[1] !== undefined) tokens.push({ t: 'ident', v: m[1].replace(/""/g, '"') });
    else if (m[2] !== undefined) tokens.push({ t: 'word', v: m[2].toLowerCase() });
    else if (m[3] !== undefined) tokens.push({ t: 'punct', v: m[3] });
  }
  return tokens;
}

export type ObjectKind = 'table' | 'view' | 'index' | 'sequence' | 'function' | 'type' | 'column';

export interface ObjectName {
  /** Absent when the script does not qualify the name: it lands in the target's current schema. */
  schema?: string;
  name: string;
}

/** What one statement does to one object. */
export interface ObjectChange {
  action: 'create' | 'drop';
  kind: ObjectKind;
  object: ObjectName;
  /** For columns: the table. */
  table?: ObjectName;
  /** `CREATE OR REPLACE`: would silently overwrite an existing object. */
  orReplace?: boolean;
}

class Cursor {
  i = 0;
  constructor(readonly tokens: Token[]) {}
  peekWord(offset = 0): string | undefined {
    const t = this.tokens[this.i + offset];
    return t?.t === 'word' ? t.v : undefined;
  }
  /** Consumes the given keywords in sequence when they are all next. */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (this.peekWord(k) !== words[k]) return false;
    this.i += words.length;
    return true;
  }
  acceptPunct(p: string): boolean {
    const t = this.tokens[this.i];
    if (t?.t === 'punct' && t.v === p) {
      this.i++;
      return true;
    }
    return false;
  }
  identifier(): string | undefined {
    const t = this.tokens[this.i];
    if (t && (t.t === 'word' || t.t === 'ident')) {
      this.i++;
      return t.v;
    }
    return undefined;
  }
  /** `name`, `schema.name` or `db.schema.name`. */
  qualifiedName(): ObjectName | undefined {
    const parts: string[] = [];
    const first = this.identifier();
    if (first === undefined) return undefined;
    parts.push(first);
    while (this.acceptPunct('.')) {
      const p = this.identifier();
      if (p === undefined) break;
      parts.push(p);
    }
    const name = parts[parts.length - 1]!;
    return parts.length > 1 ? { schema: parts[parts.length - 2]!, name } : { name };
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
}

/** Splits tokens at top-level commas (not inside parentheses). */
function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.t === 'punct' && t.v === '(') depth++;
    if (t.t === 'punct' && t.v === ')') depth--;
    if (t.t === 'punct' && t.v === ',' && depth === 0) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts;
}

const NOT_A_COLUMN = new Set(['constraint', 'primary', 'unique', 'check', 'foreign', 'exclude']);

/** The objects one statement creates or drops (statements it does not understand yield nothing). */
export function statementChanges(stmt: string): ObjectChange[] {
  const c = new Cursor(tokenize(stmt));
  if (c.accept('create')) {
    const orReplace = c.accept('or', 'replace');
    if (!c.accept('global')) c.accept('local');
    if (c.accept('temp') || c.accept('temporary')) return []; // session-local, cannot collide
    c.accept('unlogged');
    const ifNotExists = () => c.accept('if', 'not', 'exists');
    if (c.accept('table')) {
      if (ifNotExists()) return [];
      const name = c.qualifiedName();
      return name ? [{ action: 'create', kind: 'table', object: name }] : [];
    }
    if (!c.accept('materialized')) c.accept('recursive');
    if (c.accept('view')) {
      if (ifNotExists()) return [];
      const name = c.qualifiedName();
      return name ? [{ action: 'create', kind: 'view', object: name, orReplace }] : [];
    }
    c.accept('unique');
    if (c.accept('index')) {
      c.accept('concurrently');
      if (ifNotExists()) return [];
      if (c.peekWord() === 'on') return []; // unnamed index: PostgreSQL picks a free name
      const name = c.qualifiedName();
      if (!name || !c.accept('on')) return [];
      c.accept('only');
      const table = c.qualifiedName();
      // An index always lives in its table's schema.
      return [{ action: 'create', kind: 'index', object: { schema: table?.schema, name: name.name }, table }];
    }
    if (c.accept('sequence')) {
      if (ifNotExists()) return [];
      const name = c.qualifiedName();
      return name ? [{ action: 'create', kind: 'sequence', object: name }] : [];
    }
    if (c.accept('function') || c.accept('procedure')) {
      const name = c.qualifiedName();
      return name ? [{ action: 'create', kind: 'function', object: name, orReplace }] : [];
    }
    if (c.accept('type')) {
      const name = c.qualifiedName();
      return name ? [{ action: 'create', kind: 'type', object: name }] : [];
    }
    return [];
  }
  if (c.accept('drop')) {
    const kind: ObjectKind | undefined = c.accept('table')
      ? 'table'
      : c.accept('materialized', 'view') || c.accept('view')
        ? 'view'
        : c.accept('index')
          ? 'index'
          : c.accept('sequence')
            ? 'sequence'
            : c.accept('function') || c.accept('procedure')
              ? 'function'
              : c.accept('type')
                ? 'type'
                : undefined;
    if (!kind) return [];
    c.accept('concurrently');
    c.accept('if', 'exists');
    const changes: ObjectChange[] = [];
    for (const part of splitTopLevel(c.tokens.slice(c.i))) {
      const name = new Cursor(part).qualifiedName();
      if (name) changes.push({ action: 'drop', kind, object: name });
    }
    return changes;
  }
  if (c.accept('alter', 'table')) {
    c.accept('if', 'exists');
    c.accept('only');
    const table = c.qualifiedName();
    if (!table) return [];
    c.acceptPunct('*');
    if (c.accept('rename', 'to')) {
      const to = c.identifier();
      return to ? [{ action: 'create', kind: 'table', object: { schema: table.schema, name: to } }] : [];
    }
    if (c.accept('rename')) {
      if (c.peekWord() === 'constraint') return [];
      c.accept('column');
      c.identifier();
      if (!c.accept('to')) return [];
      const to = c.identifier();
      return to ? [{ action: 'create', kind: 'column', object: { name: to }, table }] : [];
    }
    const changes: ObjectChange[] = [];
    for (const part of splitTopLevel(c.tokens.slice(c.i))) {
      const clause = new Cursor(part);
      if (clause.accept('add')) {
        if (NOT_A_COLUMN.has(clause.peekWord() ?? '')) continue;
        clause.accept('column');
        if (clause.accept('if', 'not', 'exists')) continue;
        const col = clause.identifier();
        if (col) changes.push({ action: 'create', kind: 'column', object: { name: col }, table });
      } else if (clause.accept('drop')) {
        if (clause.peekWord() === 'constraint') continue;
        clause.accept('column');
        clause.accept('if', 'exists');
        const col = clause.identifier();
        if (col) changes.push({ action: 'drop', kind: 'column', object: { name: col }, table });
      }
    }
    return changes;
  }
  return [];
}

/** The objects a whole script creates or drops, in statement order. */
export function scriptChanges(sql: string): ObjectChange[] {
  return splitStatements(sql).flatMap(statementChanges);
}

/** Tables a statement reads-and-writes in bulk (for the duration estimate): ALTER/UPDATE/INSERT/DELETE/CREATE INDEX ON. */
export function tablesTouched(sql: string): ObjectName[] {
  const found: ObjectName[] = [];
  for (const stmt of splitStatements(sql)) {
    const c = new Cursor(tokenize(stmt));
    let name: ObjectName | undefined;
    if (c.accept('alter', 'table')) {
      c.accept('if', 'exists');
      c.accept('only');
      name = c.qualifiedName();
    } else if (c.accept('update') || c.accept('delete', 'from')) {
      c.accept('only');
      name = c.qualifiedName();
    } else if (c.accept('insert', 'into')) {
      name = c.qualifiedName();
    } else if (c.accept('create')) {
      c.accept('unique');
      if (c.accept('index')) {
        while (!c.done() && !c.accept('on')) c.i++;
        c.accept('only');
        name = c.qualifiedName();
      }
    }
    if (name) found.push(name);
  }
  return found;
}
