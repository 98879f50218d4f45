/** Wall-clock times in the customer's time zone, and the instants (with offset) the API takes. */

/** Time zones offered for a customer: China's first, then the browser's and UTC, then every zone the browser knows. */
export const TIME_ZONES = Array.from(
  new Set([
    'Asia/Shanghai',
    'Asia/Hong_Kong',
    'Asia/Taipei',
    'Asia/Singapore',
    'Asia/Tokyo',
    browserTimeZone(),
    'Europe/Berlin',
    'UTC',
    ...Intl.supportedValuesOf('timeZone'),
  ]),
);

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The offset (e.g. +08:00) of a time zone at an instant. */
function offsetAt(timeZone: string, instant: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(instant).find((p) => p.type === 'timeZoneName');
  const offset = part?.value.replace('GMT', '') ?? '';
  return offset === '' ? '+00:00' : offset;
}

const minutesOf = (offset: string) => (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));

/** The offset a wall-clock time has in a zone: looked up twice, so a time just before a DST switch gets the offset before it. */
function offsetOfWallClock(timeZone: string, wallClock: string): string {
  const asUtc = new Date(`${wallClock}:00Z`).getTime();
  const first = offsetAt(timeZone, new Date(asUtc));
  return offsetAt(timeZone, new Date(asUtc - minutesOf(first) * 60_000));
}

/** `2026-12-05T22:00` in `Asia/Shanghai` → `2026-12-05T22:00:00+08:00`: an instant with the customer's offset, as the API wants it. */
export function zonedInstant(wallClock: string, timeZone: string): string {
  return `${wallClock}:00${offsetOfWallClock(timeZone, wallClock)}`;
}

/**
 * Whether a wall-clock time does not exist in a zone: clocks skip it at the switch to summer time
 * (2026-03-29 02:30 in Europe/Berlin). The console refuses it rather than shift it silently.
 * A time that exists twice (02:30 on the switch back) is read as the later one, in winter time.
 */
export function isSkippedWallClock(wallClock: string, timeZone: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(wallClock)) return false;
  return wallClockIn(zonedInstant(wallClock, timeZone), timeZone) !== wallClock;
}

/** An instant as the wall-clock value of a datetime-local input in a time zone. */
export function wallClockIn(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}`;
}
