import { createHealthCheck } from '../../src/health';

describe('health check', () => {
  it('is up when every dependency answers, with each latency', async () => {
    const check = createHealthCheck({
      a: { target: 'a:1', probe: async () => 'ok' },
      b: { target: 'b:2', probe: async () => undefined },
    });
    const report = await check();
    expect(report.status).toBe('up');
    expect(report.dependencies.a).toMatchObject({ status: 'up', target: 'a:1' });
    expect(typeof report.dependencies.b.latencyMs).toBe('number');
  });

  it('is down when one dependency fails, saying which and why', async () => {
    const check = createHealthCheck({
      a: { target: 'a:1', probe: async () => 'ok' },
      b: {
        target: 'b:2',
        probe: async () => {
          throw new Error('connect ECONNREFUSED b:2');
        },
      },
    });
    const report = await check();
    expect(report.status).toBe('down');
    expect(report.dependencies.a.status).toBe('up');
    expect(report.dependencies.b).toMatchObject({ status: 'down', error: 'connect ECONNREFUSED b:2' });
  });

  it('does not wait past its timeout for a dependency that hangs', async () => {
    const check = createHealthCheck({ slow: { target: 's', probe: () => new Promise(() => undefined) } }, 100);
    const started = Date.now();
    const report = await check();
    expect(report.dependencies.slow).toMatchObject({ status: 'down', error: 'no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('health check under load', () => {
  it('probes each dependency once for a burst of callers, and again once the report is older than reuseMs', async () => {
    let probes = 0;
    const check = createHealthCheck(
      {
        a: {
          target: 'a',
          probe: async () => {
            probes++;
            await new Promise((r) => setTimeout(r, 20));
          },
        },
      },
      1000,
      50,
    );
    const reports = await Promise.all(Array.from({ length: 100 }, () => check()));
    expect(new Set(reports).size).toBe(1);
    await check();
    expect(probes).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    await check();
    expect(probes).toBe(2);
  });
});
