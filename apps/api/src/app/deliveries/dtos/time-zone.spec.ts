import { timeZoneProblem } from './time-zone';

describe("a customer's time zone", () => {
  it.each(['Asia/Shanghai', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT-8', 'America/Port-au-Prince'])('takes %s', (zone) => {
    expect(timeZoneProblem(zone)).toBeNull();
  });

  it.each([
    ['Mars/Base', /not a time zone known/],
    ['', /IANA time zone name/],
    ['Europe/Berlin\u0000', /IANA time zone name/],
    ['A'.repeat(300), /IANA time zone name/],
    ['+08:00', /IANA time zone name/],
    ['Europe/../Berlin', /IANA time zone name/],
    [42, /must be a string/],
  ])('refuses %j', (zone, reason) => {
    expect(timeZoneProblem(zone)).toMatch(reason);
  });
});
