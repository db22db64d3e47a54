import { eachObjectMember } from '../../src/ras/json-object-slices';

async function members(text: string, perSlice?: number): Promise<[string, unknown][]> {
  const out: [string, unknown][] = [];
  await eachObjectMember(text, (name, value) => out.push([name, value]), perSlice);
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
    await eachObjectMember(text, () => seen.push(otherWorkRan), 2);
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
