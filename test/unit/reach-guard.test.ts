import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { reachGuard, realPathOfLongestPrefix } from '../../src/reach-guard';

/** The policy over a real file system: symlinks are followed as far as the path exists. */
describe('reach guard', () => {
  let root: string;
  beforeAll(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'df-reach-')));
    fs.mkdirSync(path.join(root, 'data'));
    fs.symlinkSync('/etc', path.join(root, 'data', 'etc-link'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('resolves the longest existing prefix and keeps the rest as given', () => {
    expect(realPathOfLongestPrefix(path.join(root, 'data', 'etc-link', 'shadow'))).toBe(
      path.join(fs.realpathSync('/etc'), 'shadow'),
    );
    expect(realPathOfLongestPrefix(path.join(root, 'data', 'not', 'yet', 'out.txt'))).toBe(
      path.join(root, 'data', 'not', 'yet', 'out.txt'),
    );
  });

  it('resolves a link in the middle of the path, and stops at a dangling link or a file as the last existing prefix', () => {
    fs.mkdirSync(path.join(root, 'real-dir'));
    fs.symlinkSync(path.join(root, 'real-dir'), path.join(root, 'data', 'dir-link'));
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'data', 'dangling'));
    fs.writeFileSync(path.join(root, 'data', 'plain.txt'), '');
    expect(realPathOfLongestPrefix(path.join(root, 'data', 'dir-link', 'new', 'out.txt'))).toBe(
      path.join(root, 'real-dir', 'new', 'out.txt'),
    );
    expect(realPathOfLongestPrefix(path.join(root, 'data', 'dangling', 'out.txt'))).toBe(
      path.join(root, 'data', 'dangling', 'out.txt'),
    );
    expect(realPathOfLongestPrefix(path.join(root, 'data', 'plain.txt', 'out.txt'))).toBe(
      path.join(root, 'data', 'plain.txt', 'out.txt'),
    );
    expect(realPathOfLongestPrefix('/')).toBe('/');
  });

  it('refuses a file reached through a link out of the data directory, and takes one that does not exist yet inside it', () => {
    const guard = reachGuard(loadConfig({ DF_DEV_MODE: 'true', DF_DATA_DIR: path.join(root, 'data') }).reach);
    const add = (file: string) =>
      guard.connectAdd({
        id: 'a',
        taskSeq: '1',
        name: 'a',
        description: '',
        connectorType: 'CONNECT_SINK_KAFKA_FlatFile',
        connectorConfig: { file, topics: 't' },
      });
    expect(() => add(path.join(root, 'data', 'etc-link', 'shadow'))).toThrow(
      expect.objectContaining({ code: 'REACH_REFUSED' }),
    );
    expect(add(path.join(root, 'data', 'out', 'new.txt')).connectorConfig['connector.class']).toBe(
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
    );
  });

  it('holds a config patch for tasks of either kind to the policy, a removed key passing', () => {
    const guard = reachGuard(loadConfig({ DF_DEV_MODE: 'true', DF_DATA_DIR: path.join(root, 'data') }).reach);
    expect(() => guard.configPatch({ file: path.join(root, 'data', 'etc-link', 'shadow') })).toThrow(
      expect.objectContaining({ code: 'REACH_REFUSED' }),
    );
    expect(() => guard.configPatch({ file: path.join(root, 'data', 'out.txt'), old: null })).not.toThrow();
  });
});
