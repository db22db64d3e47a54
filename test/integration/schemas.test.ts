import { KafkaAdmin } from '../../src/ras/kafka';
import { DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { uniqueName } from '../support/stack';
import { NEW_FIELD_NO_DEFAULT, REMOVED_FIELD, V1, V2 } from '../support/avro-orders';

/**
 * Schema Registry LAU on the real registry and Kafka: versions only move forward when the
 * registry's compatibility test passes, and the subject's topic exists in Kafka.
 */
describe('Schema Registry LAU (/schema)', () => {
  let app: DfApp;
  let kafka: KafkaAdmin;
  const subject = uniqueName('orders');
  const registry = () => engineHttp(app.config, 'schemaRegistry');
  const versionsInRegistry = async (s: string) => (await registry().get(`/subjects/${s}/versions`)).data;

  beforeAll(async () => {
    app = await startDfApp('schema');
    kafka = new KafkaAdmin(app.config.kafkaBrokers, app.config.kafkaSecurity);
  });
  afterAll(async () => {
    await kafka?.close();
    await app?.close();
  });

  it('registers an Avro record as version 1 and creates its topic with the asked partitions', async () => {
    const res = await app.api.post('/schema', { id: subject, schema: V1, compatibility: 'BACKWARD', partitions: 3 });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({
      id: subject,
      subject,
      version: 1,
      schemaType: 'AVRO',
      schema: V1,
      compatibility: 'BACKWARD',
      versions: [1],
    });
    expect(typeof res.data.schemaId).toBe('number');
    expect(await kafka.partitionCount(subject)).toBe(3);
  });

  it('lists it with version 1 under the list protocol', async () => {
    const res = await app.api.get('/schema', {
      params: { q: subject, _sort: 'subject', _order: 'ASC', _start: 0, _end: 10 },
    });
    expect(res.headers['x-total-count']).toBe('1');
    expect(res.data).toEqual([
      expect.objectContaining({ id: subject, version: 1, schema: V1, compatibility: 'BACKWARD' }),
    ]);
  });

  it('answers a repeated add of the identical schema with the same id, no new version', async () => {
    const first = await app.api.get(`/schema/${subject}`);
    const again = await app.api.post('/schema', { subject, schema: JSON.stringify(V1) });
    expect(again.status).toBe(201);
    expect(again.data).toMatchObject({ version: 1, schemaId: first.data.schemaId });
    expect(await versionsInRegistry(subject)).toEqual([1]);
  });

  it('registers a compatible change (a field with a default) as version 2', async () => {
    const res = await app.api.put(`/schema/${subject}`, { schema: V2 });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ version: 2, schema: V2, versions: [1, 2] });
  });

  it('refuses an incompatible change with 409 and registers nothing', async () => {
    const res = await app.api.put(`/schema/${subject}`, { schema: NEW_FIELD_NO_DEFAULT });
    expect(res.status).toBe(409);
    expect(res.data.error.message).toMatch(/not BACKWARD compatible/);
    expect(await versionsInRegistry(subject)).toEqual([1, 2]);
  });

  it('refuses removing a field without default under FORWARD, still at version 2', async () => {
    expect((await app.api.put(`/schema/${subject}`, { compatibility: 'FORWARD' })).status).toBe(200);
    const res = await app.api.put(`/schema/${subject}`, { schema: REMOVED_FIELD });
    expect(res.status).toBe(409);
    expect(res.data.error.message).toMatch(/not FORWARD compatible/);
    expect(await versionsInRegistry(subject)).toEqual([1, 2]);
  });

  it('changes the compatibility mode alone, visibly in GET', async () => {
    const res = await app.api.put(`/schema/${subject}`, { compatibility: 'NONE' });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ compatibility: 'NONE', version: 2 });
    expect((await app.api.get(`/schema/${subject}`)).data.compatibility).toBe('NONE');
    expect((await registry().get(`/config/${subject}`)).data.compatibilityLevel).toBe('NONE');
  });

  it('serves an older version and the field-level diff between versions', async () => {
    const v1 = await app.api.get(`/schema/${subject}/versions/1`);
    expect(v1.data).toMatchObject({ version: 1, schema: V1 });
    const diff = await app.api.get(`/schema/${subject}/diff`, { params: { from: 1, to: 2 } });
    expect(diff.data).toEqual({
      subject,
      from: 1,
      to: 2,
      changes: [{ field: 'currency', change: 'added', to: { type: 'string', default: 'EUR' } }],
    });
  });

  it('refuses DELETE with 405: schemas are append-only', async () => {
    const res = await app.api.delete(`/schema/${subject}`);
    expect(res.status).toBe(405);
    expect(res.data.error.message).toMatch(/append-only/);
    expect(await versionsInRegistry(subject)).toEqual([1, 2]);
  });

  it('refuses bad input with a 4xx naming it, registering nothing', async () => {
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [
        { id: uniqueName('bad'), schema: { type: 'record', name: 'X', fields: [{ name: 'a', type: 'strin' }] } },
        400,
        /schema-registry answered 4\d\d/,
      ],
      [{ id: uniqueName('bad'), schema: '{"type": "record",' }, 400, /not valid JSON/],
      [{ id: uniqueName('bad'), schema: V1, schemaType: 'XML' }, 400, /schemaType/],
      [{ id: '', schema: V1 }, 400, /subject/],
      [{ id: 'orders value/v1', schema: V1 }, 400, /Kafka topic name/],
    ];
    for (const [body, status, message] of cases) {
      const res = await app.api.post('/schema', body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(JSON.stringify(res.data.error)).toMatch(message);
      if (typeof body.id === 'string' && body.id)
        expect((await registry().get(`/subjects/${encodeURIComponent(body.id)}/versions`)).status).toBe(404);
    }
  });

  it('answers 404 for an unknown subject', async () => {
    expect((await app.api.get(`/schema/${uniqueName('nope')}`)).status).toBe(404);
    expect((await app.api.put(`/schema/${uniqueName('nope')}`, { schema: V1 })).status).toBe(404);
  });
});
