import http from 'node:http';
import { AddressInfo } from 'node:net';
import { FlinkClient } from '../../src/ras/flink';
import { KafkaConnectClient } from '../../src/ras/kafka-connect';
import { dfFailureOf } from '../support/df-failure';

/** A fake engine answering every request with the given status and body text. */
async function fakeWorker(status: number, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe("KafkaConnectClient.listConnectorStatuses: every connector's status by name", () => {
  it('maps each connector to its status, and one with none to its name alone', async () => {
    const running = { name: 'a', connector: { state: 'RUNNING', worker_id: 'w:8083' }, tasks: [], type: 'source' };
    const worker = await fakeWorker(200, JSON.stringify({ a: { status: running }, b: {} }));
    try {
      const statuses = await new KafkaConnectClient(worker.url).listConnectorStatuses();
      expect([...statuses]).toEqual([
        ['a', running],
        ['b', { name: 'b' }],
      ]);
    } finally {
      await worker.close();
    }
  });

  it("keeps Connect's own message when it refuses", async () => {
    const worker = await fakeWorker(500, JSON.stringify({ error_code: 500, message: 'Connect is starting' }));
    try {
      const failure = await dfFailureOf(new KafkaConnectClient(worker.url, undefined, []).listConnectorStatuses());
      expect(failure.message).toContain('Connect is starting');
      expect(failure.message).not.toContain('error_code');
    } finally {
      await worker.close();
    }
  });

  it('fails on an answer that is not JSON, rather than reading statuses out of it', async () => {
    const worker = await fakeWorker(200, '{"a": {"status": ');
    try {
      await expect(new KafkaConnectClient(worker.url).listConnectorStatuses()).rejects.toThrow(SyntaxError);
    } finally {
      await worker.close();
    }
  });
});

describe('FlinkClient.jobsOverview: every job Flink knows, with its task counts', () => {
  const job = (jid: string, state: string) => ({ jid, name: `job ${jid}`, state, tasks: { running: 1, total: 1 } });

  it('gives each job of the overview, in order', async () => {
    const jobs = Array.from({ length: 600 }, (_, i) => job(`j${i}`, i % 2 ? 'RUNNING' : 'FAILED'));
    const flink = await fakeWorker(200, JSON.stringify({ jobs }));
    try {
      expect(await new FlinkClient(flink.url).jobsOverview()).toEqual(jobs);
    } finally {
      await flink.close();
    }
  });

  it('gives none when Flink runs no job', async () => {
    const flink = await fakeWorker(200, '{"jobs":[]}');
    try {
      expect(await new FlinkClient(flink.url).jobsOverview()).toEqual([]);
    } finally {
      await flink.close();
    }
  });

  it("keeps Flink's own message when it refuses", async () => {
    const flink = await fakeWorker(503, JSON.stringify({ errors: ['JobManager is not the leader'] }));
    try {
      const failure = await dfFailureOf(new FlinkClient(flink.url).jobsOverview());
      expect(failure.message).toContain('JobManager is not the leader');
    } finally {
      await flink.close();
    }
  });

  it('fails on an answer that is not JSON, rather than reading jobs out of it', async () => {
    const flink = await fakeWorker(200, '{"jobs":[{"jid":"a"},');
    try {
      await expect(new FlinkClient(flink.url).jobsOverview()).rejects.toThrow(SyntaxError);
    } finally {
      await flink.close();
    }
  });
});
