import type { Client } from '@temporalio/client';
import { createApp, ApiDeps } from '../../src/api/app';
import type { HealthReport } from '../../src/health';
import type { InstalledRepository } from '../../src/repository/installed-repository';
import type { TaskRepository } from '../../src/repository/task-repository';
import type { StatusHistoryRepository } from '../../src/repository/status-history-repository';
import type { SyncRecordRepository } from '../../src/repository/sync-record-repository';
import type { MetaRepository } from '../../src/repository/meta-repository';
import type { KafkaConnectClient } from '../../src/ras/kafka-connect';
import type { FlinkClient } from '../../src/ras/flink';

function report(status: 'up' | 'down'): HealthReport {
  return {
    status,
    checkedAt: new Date().toISOString(),
    dependencies: { store: { status, latencyMs: 1, target: 'mongodb://x' } },
  };
}

function app(overrides: Partial<ApiDeps> = {}) {
  return createApp({
    temporal: {} as Client, // routes under test here never reach Temporal
    taskQueue: 'q',
    namespace: 'default',
    temporalUiUrl: 'http://ui',
    syncWaitMs: 10,
    installed: {} as InstalledRepository,
    tasks: {} as TaskRepository,
    statusHistory: {} as StatusHistoryRepository,
    syncRecords: {} as SyncRecordRepository,
    meta: {} as MetaRepository,
    kafkaConnect: {} as KafkaConnectClient,
    flink: {} as FlinkClient,
    uploadDir: '/nonexistent',
    health: async () => report('up'),
    ...overrides,
  });
}

describe('HTTP API shell', () => {
  it('answers /health 200 when all dependencies are up', async () => {
    const res = await app().request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'up' });
  });

  it('answers /health 503 when one is down', async () => {
    const res = await app({ health: async () => report('down') }).request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', dependencies: { store: { status: 'down' } } });
  });

  it('answers unknown routes 404 in the error shape', async () => {
    const res = await app().request('/api/df/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route for GET /api/df/nope' } });
  });

  it('exposes X-Total-Count to browsers', async () => {
    const res = await app().request('/health', { headers: { Origin: 'http://console.example' } });
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Total-Count');
  });
});
