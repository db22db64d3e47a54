import { randomBytes } from 'node:crypto';
import type { ConfigVersionInput } from '../../src/domain/config-version';
import { SecretKeys } from '../../src/domain/secrets';
import { configSealerFor, SEALED_PREFIX } from '../../src/repository/secret-cipher';
import { VERSION_COLLECTION, VersionRepository } from '../../src/repository/version-repository';
import { parsePayloadKeys } from '../../src/temporal/payload-codec';
import { useScratchDb } from '../support/scratch-db';
import { uniqueName } from '../support/stack';

/**
 * The version store on the stack's real store: versions numbered per task, one per run however
 * often the run keeps it, secrets sealed at rest and opened on the way out, pages in order.
 */
describe('config version store (df_versions)', () => {
  const scratch = useScratchDb('it_versions');
  let versions: VersionRepository;
  const at = new Date(Date.UTC(2026, 0, 1));
  const input = (taskId: string, file: string): ConfigVersionInput => ({
    taskId,
    category: 'CONNECT',
    operation: 'update',
    connectorType: 'CONNECT_SOURCE_X',
    connectorConfig: { 'connector.class': 'C', file, 'db.password': `pw-${file}` },
    actor: 'anonymous',
  });

  beforeAll(async () => {
    const keys = parsePayloadKeys(`k1:${randomBytes(32).toString('base64')}`);
    versions = new VersionRepository(scratch.db, { sealer: configSealerFor(keys, new SecretKeys()) });
    await versions.ensureIndexes();
  });

  it('numbers versions per task, and a run keeping its version again gets the one it kept', async () => {
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    expect((await versions.keep(input(a, '/1'), { workflowId: 'w1', runId: 'r' }, at)).version).toBe(1);
    expect((await versions.keep(input(a, '/2'), { workflowId: 'w2', runId: 'r' }, at)).version).toBe(2);
    const again = await versions.keep(input(a, '/2 again'), { workflowId: 'w2', runId: 'r' }, at);
    expect(again).toMatchObject({ version: 2, connectorConfig: { file: '/2' } });
    expect((await versions.keep(input(b, '/1'), { workflowId: 'w1', runId: 'r' }, at)).version).toBe(1);
    expect((await versions.list(a, 0, 10, 'DESC')).items.map((v) => v.version)).toEqual([2, 1]);
    expect((await versions.list(a, 0, 10, 'DESC')).total).toBe(2);
  });

  it('numbers on past many versions, and a run whose version others followed gets the one it kept', async () => {
    const task = uniqueName('m');
    for (let n = 1; n <= 11; n++) {
      expect((await versions.keep(input(task, `/${n}`), { workflowId: `w${n}`, runId: 'r' }, at)).version).toBe(n);
    }
    const again = await versions.keep(input(task, '/3 again'), { workflowId: 'w3', runId: 'r' }, at);
    expect(again).toMatchObject({ version: 3, connectorConfig: { file: '/3' } });
    expect((await versions.keep(input(task, '/12'), { workflowId: 'w12', runId: 'r' }, at)).version).toBe(12);
    expect((await versions.list(task, 0, 20, 'DESC')).total).toBe(12);
  });

  it('keeps secrets sealed at rest and dotted keys encoded, and answers them opened', async () => {
    const task = uniqueName('s');
    await versions.keep(input(task, '/x'), { workflowId: 'w', runId: 'r' }, at);
    const raw = await scratch.db.collection(VERSION_COLLECTION).findOne({ taskId: task });
    expect(raw?.connectorConfig['db%2Epassword']).toMatch(new RegExp(`^${SEALED_PREFIX}`));
    expect(JSON.stringify(raw)).not.toContain('pw-/x');
    expect(await versions.get(task, 1)).toMatchObject({
      version: 1,
      at: at.toISOString(),
      workflowId: 'w',
      runId: 'r',
      connectorConfig: { 'connector.class': 'C', 'db.password': 'pw-/x' },
    });
    expect(await versions.get(task, 2)).toBeUndefined();
  });

  it('lets a store refuse a second version of one run, in place of the plain index on the run', async () => {
    const names = (await scratch.db.collection(VERSION_COLLECTION).listIndexes().toArray()).map((i) => i.name);
    expect(names).toContain('task_run_once');
    expect(names).not.toContain('task_run');
  });

  it('starts on a store already holding two versions of one run, and keeps finding the run by its versions', async () => {
    const db = scratch.client.db(uniqueName('it_versions_dup'));
    try {
      const task = uniqueName('d');
      const old = { taskId: task, category: 'CONNECT', operation: 'update', connectorType: 'X', actor: 'a', at };
      await db.collection(VERSION_COLLECTION).insertMany([
        { _id: `${task}:1` as never, ...old, version: 1, connectorConfig: { file: '/1' }, workflowId: 'w', runId: 'r' },
        { _id: `${task}:2` as never, ...old, version: 2, connectorConfig: { file: '/2' }, workflowId: 'w', runId: 'r' },
        { _id: `${task}:3` as never, ...old, version: 3, connectorConfig: { file: '/3' }, workflowId: 'o', runId: 'r' },
      ]);
      const store = new VersionRepository(db);
      await store.ensureIndexes();
      expect((await store.keep(input(task, '/again'), { workflowId: 'w', runId: 'r' }, at)).version).toBeLessThan(3);
      expect((await store.keep(input(task, '/4'), { workflowId: 'n', runId: 'r' }, at)).version).toBe(4);
    } finally {
      await db.dropDatabase().catch(() => undefined);
    }
  });
});
