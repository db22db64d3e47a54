import { configDiff, lineDiff } from '../../src/domain/config-diff';
import { actorOfMemo } from '../../src/domain/config-version';
import { parseRollbackBody, parseRollbackInput, versionNumberOf } from '../../src/domain/rollback-input';
import { SecretKeys } from '../../src/domain/secrets';

const secrets = new SecretKeys();
const shown = (key: string, value: string) => secrets.maskConfig({ [key]: value })[key];

describe('config diff between two versions', () => {
  it('names each key added, removed and changed, in key order, with old and new values', () => {
    expect(
      configDiff({ b: '1', a: 'x', gone: 'y', same: 's' }, { a: 'x2', b: '1', added: 'z', same: 's' }, shown),
    ).toEqual([
      { key: 'a', change: 'changed', old: 'x', new: 'x2' },
      { key: 'added', change: 'added', new: 'z' },
      { key: 'gone', change: 'removed', old: 'y' },
    ]);
  });

  it('says a secret changed without showing either value, and masks added and removed secrets', () => {
    expect(
      configDiff(
        { 'db.password': 'old-pw', 'api.token': 'tok', url: 'jdbc://u:one@h/db' },
        { 'db.password': 'new-pw', 'ssl.key.password': 'kp', url: 'jdbc://u:two@h/db' },
        shown,
      ),
    ).toEqual([
      { key: 'api.token', change: 'removed', old: '********' },
      { key: 'db.password', change: 'changed', old: '********', new: '********' },
      { key: 'ssl.key.password', change: 'added', new: '********' },
      { key: 'url', change: 'changed', old: 'jdbc://u:***@h/db', new: 'jdbc://u:***@h/db' },
    ]);
  });

  it('diffs trans_sql line by line, numbering each line in the version it is in', () => {
    const [change] = configDiff(
      { trans_sql: 'SELECT id,\n  amount * 2 AS doubled\nFROM t' },
      { trans_sql: 'SELECT id,\n  amount * 10 AS tenfold,\n  note\nFROM t' },
    );
    expect(change).toEqual({
      key: 'trans_sql',
      change: 'changed',
      old: 'SELECT id,\n  amount * 2 AS doubled\nFROM t',
      new: 'SELECT id,\n  amount * 10 AS tenfold,\n  note\nFROM t',
      lines: [
        { op: 'same', text: 'SELECT id,', oldLine: 1, newLine: 1 },
        { op: 'removed', text: '  amount * 2 AS doubled', oldLine: 2 },
        { op: 'added', text: '  amount * 10 AS tenfold,', newLine: 2 },
        { op: 'added', text: '  note', newLine: 3 },
        { op: 'same', text: 'FROM t', oldLine: 3, newLine: 4 },
      ],
    });
  });

  it('gives a one-line SQL change a line diff too, and other one-line values none', () => {
    const changes = configDiff({ trans_sql: 'SELECT 1', topic_in: 'a' }, { trans_sql: 'SELECT 2', topic_in: 'b' });
    expect(changes[0]).toMatchObject({ key: 'topic_in' });
    expect(changes[0]).not.toHaveProperty('lines');
    expect(changes[1]).toMatchObject({
      key: 'trans_sql',
      lines: [
        { op: 'removed', text: 'SELECT 1', oldLine: 1 },
        { op: 'added', text: 'SELECT 2', newLine: 1 },
      ],
    });
  });

  it('keeps the lines both texts share, moved lines as removed and added', () => {
    expect(lineDiff('a\nb\nc\nd', 'b\nc\na\nd').map((l) => `${l.op} ${l.text}`)).toEqual([
      'removed a',
      'same b',
      'same c',
      'added a',
      'same d',
    ]);
  });

  it('shows a changed middle too large to compare as removed then added, keeping the shared head and tail', () => {
    const before = ['head', ...Array.from({ length: 3000 }, (_, i) => `old ${i}`), 'tail'].join('\n');
    const after = ['head', ...Array.from({ length: 3000 }, (_, i) => `new ${i}`), 'tail'].join('\n');
    const lines = lineDiff(before, after);
    expect(lines[0]).toEqual({ op: 'same', text: 'head', oldLine: 1, newLine: 1 });
    expect(lines[1]).toEqual({ op: 'removed', text: 'old 0', oldLine: 2 });
    expect(lines[3001]).toEqual({ op: 'added', text: 'new 0', newLine: 2 });
    expect(lines[lines.length - 1]).toEqual({ op: 'same', text: 'tail', oldLine: 3002, newLine: 3002 });
  });
});

describe('who a version names', () => {
  it("is the run's memo dfAudit.actor, else anonymous", () => {
    expect(actorOfMemo({ dfAudit: { actor: 'ops-bot', role: 'admin' } })).toBe('ops-bot');
    expect(actorOfMemo(undefined)).toBe('anonymous');
    expect(actorOfMemo({ dfAudit: 'alice' })).toBe('anonymous');
    expect(actorOfMemo({ dfAudit: { actor: 42 } })).toBe('anonymous');
    expect(actorOfMemo({ dfAudit: { actor: '  ' } })).toBe('anonymous');
  });
});

describe('rollback input', () => {
  it('takes {version} with a whole version number from 1', () => {
    expect(parseRollbackBody({ version: 2 })).toBe(2);
    for (const body of [{}, { version: 0 }, { version: 1.5 }, { version: '2' }, { version: 1, extra: true }]) {
      expect(() => parseRollbackBody(body)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });

  it('checks a rollback started without the API the same way', () => {
    expect(parseRollbackInput({ id: 'a', version: 3, upgradeMode: 'stateless' })).toEqual({
      id: 'a',
      version: 3,
      upgradeMode: 'stateless',
    });
    expect(() => parseRollbackInput({ id: 'a', version: -1 })).toThrow(
      expect.objectContaining({ details: { fields: { version: expect.any(Array) } } }),
    );
  });

  it('reads version numbers in paths and queries', () => {
    expect(versionNumberOf('12')).toBe(12);
    for (const raw of [undefined, '', '0', '01', '1.0', '-1', 'x', '1e3']) expect(versionNumberOf(raw)).toBeUndefined();
  });
});
