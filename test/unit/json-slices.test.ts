import { eachElementOf, eachObjectMember } from '../../src/ras/json-slices';

async function members(text: string, perSlice?: number): Promise<[string, unknown][]> {
  const out: [string, unknown][] = [];
  await eachObjectMember(Buffer.from(text), (name, value) => out.push([name, value]), perSlice);
  return out;
}

describe('eachObjectMember: a JSON object parsed a slice of members at a time', () => {
  const value = {
    'fake-connector-0': {
      status: { name: 'a,b', connector: { state: 'RUNNING' }, tasks: [{ id: 0, state: 'RUNNING' }] },
    },
    'with "quotes" and \\ {braces} [brackets], commas': { status: { trace: 'line 1\n\t"at" x}]' } },
    'ends in a backslash \\': [1, [2, { three: 3 }], 'x'],
    plain: null,
    'naïve ☃ 𝄞, "{["': { trace: 'ünïcödé ✓ 𝄞 at 0x2c: ,' },
    number: -1.5e3,
    nested: { a: { b: { c: [] } } },
  };

  it('gives every member, as JSON.parse reads it, whatever the slice size', async () => {
    const text = JSON.stringify(value, null, 1);
    for (const perSlice of [1, 2, 3, 250]) expect(await members(text, perSlice)).toEqual(Object.entries(value));
  });

  it('yields to the event loop between slices', async () => {
    const text = JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`c${i}`, { i }])));
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    const seen: boolean[] = [];
    await eachObjectMember(Buffer.from(text), () => seen.push(otherWorkRan), 2);
    expect(seen).toEqual([false, false, ...Array(8).fill(true)]);
  });

  it('reads an empty object, and surrounding white space', async () => {
    expect(await members('  {  }\n')).toEqual([]);
    expect(await members(' {"a" : 1 }\n', 1)).toEqual([['a', 1]]);
  });

  it('throws as JSON.parse does on text that is not JSON', async () => {
    for (const text of ['{"a":1', '{"a":1,}', '{"a":1} x', '{"a":1,,"b":2}', '', 'nonsense', '{"a":1]'])
      await expect(members(text, 1)).rejects.toThrow(SyntaxError);
  });

  it('parses a text that is not an object whole, and refuses anything but an object', async () => {
    await expect(members('[1,2]')).rejects.toThrow('expected a JSON object');
    await expect(members('null')).rejects.toThrow('expected a JSON object');
  });
});

async function elements(text: string, member = 'jobs', perSlice?: number): Promise<unknown[]> {
  const out: unknown[] = [];
  await eachElementOf(Buffer.from(text), member, (value) => out.push(value), perSlice);
  return out;
}

describe('eachElementOf: the array held by one member of a JSON object, parsed a slice of elements at a time', () => {
  const jobs = [
    { jid: 'a', name: 'with "quotes", commas ] and } brackets', state: 'RUNNING', tasks: { running: 2 } },
    { jid: 'b', name: 'ends in a backslash \\', state: 'FAILED', nested: [[1, 2], { jobs: [9] }] },
    null,
    'plain',
    { name: 'naïve ☃ 𝄞, "{[" ü', state: 'RUNNING' },
    -1.5e3,
    [],
  ];

  it('gives every element, as JSON.parse reads it, whatever the slice size', async () => {
    const text = JSON.stringify({ jobs }, null, 1);
    for (const perSlice of [1, 2, 5, 250]) expect(await elements(text, 'jobs', perSlice)).toEqual(jobs);
  });

  it('finds the member among others, and never in a nested object or a string value', async () => {
    const text = JSON.stringify({ a: { jobs: ['inner'] }, b: 'jobs', c: ['jobs', { jobs: [] }], jobs, z: 1 });
    expect(await elements(text, 'jobs', 2)).toEqual(jobs);
  });

  it('yields to the event loop between slices', async () => {
    const text = JSON.stringify({ jobs: Array.from({ length: 10 }, (_, i) => ({ i })) });
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    const seen: boolean[] = [];
    await eachElementOf(Buffer.from(text), 'jobs', () => seen.push(otherWorkRan), 2);
    expect(seen).toEqual([false, false, ...Array(8).fill(true)]);
  });

  it('gives no element for an empty array, a missing member or one that is not an array', async () => {
    expect(await elements(' { "jobs" : [ ] }\n')).toEqual([]);
    expect(await elements('{"other":[1]}')).toEqual([]);
    expect(await elements('{"jobs":{"a":1}}')).toEqual([]);
    expect(await elements('{"jobs":null}')).toEqual([]);
  });

  it('reads a member spelled with escapes as JSON.parse does', async () => {
    expect(await elements('{"jo\\u0062s":[1,2]}', 'jobs', 1)).toEqual([1, 2]);
  });

  it('throws as JSON.parse does on text that is not JSON, around the array or in it', async () => {
    for (const text of [
      '{"jobs":[1,2]',
      '{"jobs":[1,2]} x',
      '{"jobs":[1,,2]}',
      '{"jobs":[1,2,]}',
      '{"jobs":[1,2}}',
      '{"jobs":[1,{]}',
      '{x, "jobs":[1]}',
      '{"jobs":[1] "b":2}',
      '',
    ])
      await expect(elements(text, 'jobs', 1)).rejects.toThrow(SyntaxError);
  });

  it('refuses a text that is not an object', async () => {
    await expect(elements('[1,2]')).rejects.toThrow('expected a JSON object');
  });
});
