import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { locateCentralDirectory, zipEntryNames } from '../../src/zip/central-directory';
import { jarProblem } from '../../src/zip/jar-check';
import { buildZip } from '../support/zip-builder';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'df-zip-spec-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function written(name: string, content: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, content);
  return file;
}

async function namesOf(content: Buffer): Promise<string[]> {
  const handle = await fs.open(await written(`names-${Math.random()}.zip`, content), 'r');
  try {
    const names: string[] = [];
    for await (const name of zipEntryNames(handle, content.length)) names.push(name);
    return names;
  } finally {
    await handle.close();
  }
}

const JAR_ENTRIES = [
  { name: 'META-INF/' },
  { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\n' },
  { name: 'df/Job.class', content: 'cafebabe' },
];

describe('zip central directory reader', () => {
  it('lists the entries named in the central directory, in order', async () => {
    expect(await namesOf(buildZip(JAR_ENTRIES))).toEqual(['META-INF/', 'META-INF/MANIFEST.MF', 'df/Job.class']);
  });

  it('finds the end record behind an archive comment', async () => {
    expect(
      await namesOf(buildZip(JAR_ENTRIES, { comment: 'PK\u0005\u0006 looks like a signature '.repeat(100) })),
    ).toHaveLength(3);
  });

  it('follows a ZIP64 end record', async () => {
    const zip = buildZip(JAR_ENTRIES, { zip64: true });
    const handle = await fs.open(await written('zip64.zip', zip), 'r');
    try {
      expect(await locateCentralDirectory(handle, zip.length)).toMatchObject({ entries: 3 });
    } finally {
      await handle.close();
    }
    expect(await namesOf(zip)).toContain('META-INF/MANIFEST.MF');
  });

  it('reads UTF-8 names as UTF-8', async () => {
    expect(await namesOf(buildZip([{ name: 'données/été.txt' }], { utf8Names: true }))).toEqual(['données/été.txt']);
  });

  it('reads a directory larger than its read window', async () => {
    const entries = Array.from({ length: 9000 }, (_, i) => ({ name: `pkg/${'x'.repeat(100)}/Class${i}.class` }));
    const names = await namesOf(buildZip(entries));
    expect(names).toHaveLength(9000);
    expect(names[8999]).toBe(entries[8999].name);
  });

  it('refuses a file with no end record (cut short, or zip magic and nothing else)', async () => {
    await expect(namesOf(buildZip(JAR_ENTRIES).subarray(0, 80))).rejects.toThrow(/no end of central directory/);
    await expect(namesOf(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]))).rejects.toThrow(
      /no end of central directory/,
    );
  });

  it('refuses a directory that points outside the file or is damaged', async () => {
    const outside = buildZip(JAR_ENTRIES);
    outside.writeUInt32LE(outside.length, outside.length - 6);
    await expect(namesOf(outside)).rejects.toThrow(/outside the file/);
    const damaged = buildZip(JAR_ENTRIES);
    const directoryAt = damaged.readUInt32LE(damaged.length - 6);
    damaged.writeUInt32LE(0xdeadbeef, directoryAt);
    await expect(namesOf(damaged)).rejects.toThrow(/damaged at entry 1/);
  });

  it('refuses a directory with fewer entries than its end record counts', async () => {
    const short = buildZip(JAR_ENTRIES);
    short.writeUInt16LE(4, short.length - 12);
    await expect(namesOf(short)).rejects.toThrow(/lists 3 entries where its end record says 4/);
  });
});

describe('jar check', () => {
  it('takes a zip that holds META-INF/MANIFEST.MF, in any case', async () => {
    expect(await jarProblem(await written('ok.jar', buildZip(JAR_ENTRIES)))).toBeUndefined();
    expect(await jarProblem(await written('lower.jar', buildZip([{ name: 'meta-inf/manifest.mf' }])))).toBeUndefined();
  });

  it('says a zip without a manifest is no jar', async () => {
    expect(await jarProblem(await written('nomanifest.jar', buildZip([{ name: 'df/Job.class' }])))).toBe(
      'it has no META-INF/MANIFEST.MF',
    );
  });

  it('says a file that is not a readable zip is no jar', async () => {
    expect(await jarProblem(await written('fake.jar', Buffer.from('PK\u0003\u0004 not really a zip')))).toMatch(
      /^it is not a readable zip: /,
    );
  });
});
