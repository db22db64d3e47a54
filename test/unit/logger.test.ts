import { SecretKeys } from '../../src/domain/secrets';
import { log, setLogLineSink, setLogPolicy, withLogContext } from '../../src/logger';

/** A field whose serialisation is counted: pino calls its toJSON only when it builds the line. */
function countedField() {
  const field = { built: 0, value: { toJSON: () => (field.built++, 'x') } };
  return field;
}

describe("DF's logger builds a line only when stderr or the sink takes it", () => {
  let stopSink: (() => void) | undefined;
  const taken: Record<string, unknown>[] = [];
  beforeEach(() => {
    taken.length = 0;
    stopSink = setLogLineSink({
      level: 'info',
      wants: (fields) => typeof fields.taskId === 'string',
      take: (line) => taken.push(line),
    });
  });
  afterEach(() => {
    stopSink?.();
    setLogPolicy({ level: 'warn', secretKeys: new SecretKeys() });
  });

  it('leaves a line below DF_LOG_LEVEL that the sink does not want unbuilt', () => {
    setLogPolicy({ level: 'warn', secretKeys: new SecretKeys() });
    const field = countedField();
    log('info', 'request', { detail: field.value });
    expect(field.built).toBe(0);
    expect(taken).toEqual([]);
  });

  it('builds a line below DF_LOG_LEVEL for the sink when it names a task, from the context or its own fields', () => {
    setLogPolicy({ level: 'warn', secretKeys: new SecretKeys() });
    const inContext = countedField();
    withLogContext({ taskId: 'orders' }, () => log('info', 'activity completed', { detail: inContext.value }));
    const ownField = countedField();
    log('info', 'status recorded', { taskId: 'payments', detail: ownField.value });
    expect([inContext.built, ownField.built]).toEqual([1, 1]);
    expect(taken).toEqual([
      expect.objectContaining({ taskId: 'orders', msg: 'activity completed', detail: 'x' }),
      expect.objectContaining({ taskId: 'payments', msg: 'status recorded', detail: 'x' }),
    ]);
  });

  it('builds every line at or above DF_LOG_LEVEL, and none below the sink level that stderr leaves out', () => {
    setLogPolicy({ level: 'info', secretKeys: new SecretKeys() });
    const atLevel = countedField();
    log('info', 'request', { detail: atLevel.value });
    setLogPolicy({ level: 'warn', secretKeys: new SecretKeys() });
    const debug = countedField();
    withLogContext({ taskId: 'orders' }, () => log('debug', 'a read', { detail: debug.value }));
    expect([atLevel.built, debug.built]).toEqual([1, 0]);
  });

  it('lets the line override the context, as pino merges them: a line that clears the task is not built', () => {
    setLogPolicy({ level: 'warn', secretKeys: new SecretKeys() });
    const field = countedField();
    withLogContext({ taskId: 'orders' }, () =>
      log('info', 'about no task', { taskId: undefined, detail: field.value }),
    );
    expect(field.built).toBe(0);
  });
});
