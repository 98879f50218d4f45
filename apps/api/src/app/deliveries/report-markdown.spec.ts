import { humanise, renderReportMarkdown } from './report-markdown';

describe('renderReportMarkdown', () => {
  const context = { serviceName: '升级服务 (Upgrade)', customerId: 'CUST-1', orderNo: 'SO-1' };

  it('renders title, context, summary and the body as tables', () => {
    const text = renderReportMarkdown(
      {
        kind: 'rehearsal',
        revision: 2,
        summary: 'All 3 scripts applied | verifications passed',
        createdAt: new Date('2026-01-02T03:04:05Z'),
        body: {
          passed: true,
          currentVersion: null,
          scripts: [
            { version: '2.0.0', durationMs: 120, result: 'ok' },
            { version: '2.1.0', durationMs: 80, result: 'ok\nwith notice' },
          ],
          notes: ['first', 'second'],
          sizing: { tables: 12, bytes: 4096 },
          collisions: [],
        },
      },
      context,
    );
    expect(text).toContain('# 测试报告 Rehearsal report (revision 2)');
    expect(text).toContain('**升级服务 (Upgrade)** · customer CUST-1 · order SO-1 · 2026-01-02T03:04:05.000Z');
    expect(text).toContain('> All 3 scripts applied | verifications passed');
    expect(text).toContain('| Passed | yes |');
    expect(text).toContain('| Current version | — |');
    expect(text).toContain('## Scripts\n\n| Version | Duration ms | Result |\n| --- | --- | --- |\n| 2.0.0 | 120 | ok |');
    expect(text).toContain('| 2.1.0 | 80 | ok<br>with notice |');
    expect(text).toContain('- first\n- second');
    expect(text).toContain('## Sizing\n\n| | |\n| --- | --- |\n| Tables | 12 |');
    expect(text).toContain('## Collisions\n\nNone.');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('humanises keys', () => {
    expect(humanise('estimatedDowntimeMinutes')).toBe('Estimated downtime minutes');
    expect(humanise('per_script')).toBe('Per script');
  });
});
