/**
 * Builds PostgreSQL COPY text format (`COPY ... FROM STDIN`, default text format) into a reusable
 * buffer. Escaping is done on UTF-8 bytes: backslash, tab, newline and carriage return are the only
 * bytes that need it, and none of them can occur inside a multi-byte UTF-8 sequence, so escaping
 * bytes is exactly escaping characters. NULL is `\N`; the text "\N" becomes `\\N`.
 */
export class CopyTextWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get size(): number {
    return this.len;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < this.len + extra) n *= 2;
    const next = Buffer.allocUnsafe(n);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  writeNull(): void {
    this.ensure(2);
    this.buf[this.len++] = 0x5c;
    this.buf[this.len++] = 0x4e;
  }

  tab(): void {
    this.ensure(1);
    this.buf[this.len++] = 0x09;
  }

  newline(): void {
    this.ensure(1);
    this.buf[this.len++] = 0x0a;
  }

  /** A value's text (not yet escaped), as a JS string or as UTF-8 bytes. */
  writeValue(v: string | Buffer): void {
    if (typeof v === 'string') {
      const max = v.length * 3;
      this.ensure(max);
      const n = this.buf.write(v, this.len, 'utf8');
      this.escapeInPlace(this.len, n);
    } else {
      this.ensure(v.length);
      v.copy(this.buf, this.len);
      this.escapeInPlace(this.len, v.length);
    }
  }

  /** Escapes bytes [start, start+n) that were just appended, growing as needed. */
  private escapeInPlace(start: number, n: number): void {
    const b = this.buf;
    let specials = 0;
    for (let i = start; i < start + n; i++) {
      const c = b[i]!;
      if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d) specials++;
    }
    if (specials === 0) {
      this.len = start + n;
      return;
    }
    const src = Buffer.from(b.subarray(start, start + n));
    this.ensure(n + specials);
    const out = this.buf;
    let j = start;
    for (let i = 0; i < src.length; i++) {
      const c = src[i]!;
      if (c === 0x5c) {
        out[j++] = 0x5c;
        out[j++] = 0x5c;
      } else if (c === 0x09) {
        out[j++] = 0x5c;
        out[j++] = 0x74;
      } else if (c === 0x0a) {
        out[j++] = 0x5c;
        out[j++] = 0x6e;
      } else if (c === 0x0d) {
        out[j++] = 0x5c;
        out[j++] = 0x72;
      } else out[j++] = c;
    }
    this.len = j;
  }

  /** Marks the current end, so a row that turns out to be rejected can be rolled back. */
  mark(): number {
    return this.len;
  }

  rollback(mark: number): void {
    this.len = mark;
  }

  /** Hands out the bytes written so far (a copy) and starts over. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    return out;
  }
}

/** Decodes one field of COPY text format back to its value (used by tests and row-level diffs). */
export function unescapeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) =>
    c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'b' ? '\b' : c === 'f' ? '\f' : c === 'v' ? '\v' : c,
  );
}
