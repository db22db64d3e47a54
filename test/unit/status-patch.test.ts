import {
  STATUS_PATCH_FIELDS,
  type StatusPatch,
  storedStatusPatch,
  taskWithStatusPatch,
  withStatusPatch,
} from '../../src/domain/status-patch';
import type { SyncedTask } from '../../src/domain/status-sync';
import type { Task } from '../../src/domain/task';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);
const LATER = AT + 60_000;

const synced: SyncedTask = {
  id: 'c1',
  category: 'CONNECT',
  connectUid: 'c1',
  status: 'RUNNING',
  statusReason: 'unreachable',
  statusAt: AT,
  updatedAt: AT,
  unreachableSince: AT,
  pending: { status: 'UNASSIGNED', since: AT },
  statusUnrecorded: true,
};

const task: Task = {
  id: 'c1',
  taskSeq: '1',
  name: 'c1',
  description: '',
  connectorType: 'CONNECT_KAFKA_SOURCE',
  connectorCategory: 'CONNECT',
  connectUid: 'c1',
  status: 'RUNNING',
  connectorConfig: {},
  jobConfig: null,
  createdAt: new Date(AT).toISOString(),
  updatedAt: new Date(AT).toISOString(),
  statusAt: new Date(AT).toISOString(),
  statusReason: 'unreachable',
  revision: 1,
  unreachableSince: new Date(AT).toISOString(),
};

const everyField: StatusPatch = {
  status: 'FAILED',
  statusReason: 'task 0 failed',
  statusAt: LATER,
  unreachableSince: LATER,
  pending: { status: 'RUNNING', since: LATER },
  restarts: { attempts: 2, lastAttemptAt: new Date(LATER).toISOString() },
};

describe('a status patch, from one field table', () => {
  it('names a stored field for every status-patch field', () => {
    expect(Object.fromEntries(Object.entries(STATUS_PATCH_FIELDS).map(([k, f]) => [k, f.stored]))).toEqual({
      status: 'status',
      statusReason: 'statusReason',
      statusAt: 'statusAt',
      unreachableSince: 'unreachableSince',
      pending: 'statusPending',
      restarts: 'restarts',
    });
  });

  describe('in the stored shape', () => {
    it('sets every field given, times as dates and the pending flip under statusPending', () => {
      expect(storedStatusPatch(everyField)).toEqual({
        set: {
          status: 'FAILED',
          statusReason: 'task 0 failed',
          statusAt: new Date(LATER),
          unreachableSince: new Date(LATER),
          statusPending: { status: 'RUNNING', since: new Date(LATER) },
          restarts: everyField.restarts,
        },
        unset: [],
      });
    });

    it('keeps a cleared reason as null and removes the unreachable and pending markers', () => {
      expect(storedStatusPatch({ statusReason: null, unreachableSince: null, pending: null })).toEqual({
        set: { statusReason: null },
        unset: ['unreachableSince', 'statusPending'],
      });
    });

    it('is empty for an empty patch', () => {
      expect(storedStatusPatch({})).toEqual({ set: {}, unset: [] });
    });
  });

  describe('on the status sync task', () => {
    it('sets every field given and drops the "no status time" mark once a status time is set', () => {
      const next = withStatusPatch(synced, everyField);
      expect(next).toEqual({
        ...synced,
        status: 'FAILED',
        statusReason: 'task 0 failed',
        statusAt: LATER,
        unreachableSince: LATER,
        pending: { status: 'RUNNING', since: LATER },
        restarts: everyField.restarts,
        statusUnrecorded: undefined,
      });
      expect(next).not.toHaveProperty('statusUnrecorded');
    });

    it('removes what null clears, and an empty reason too', () => {
      const next = withStatusPatch(synced, { statusReason: '', unreachableSince: null, pending: null });
      expect(next).not.toHaveProperty('statusReason');
      expect(next).not.toHaveProperty('unreachableSince');
      expect(next).not.toHaveProperty('pending');
      expect(next.statusUnrecorded).toBe(true);
    });

    it('leaves the task it was given as it was', () => {
      withStatusPatch(synced, everyField);
      expect(synced.status).toBe('RUNNING');
    });
  });

  describe("on the API's task", () => {
    it('sets the fields a task has, times as ISO text, and ignores the pending flip', () => {
      const next = taskWithStatusPatch(task, everyField);
      expect(next).toEqual({
        ...task,
        status: 'FAILED',
        statusReason: 'task 0 failed',
        statusAt: new Date(LATER).toISOString(),
        unreachableSince: new Date(LATER).toISOString(),
        restarts: everyField.restarts,
      });
      expect(next).not.toHaveProperty('pending');
    });

    it('removes a cleared reason and unreachable mark', () => {
      const next = taskWithStatusPatch(task, { statusReason: null, unreachableSince: null });
      expect(next).not.toHaveProperty('statusReason');
      expect(next).not.toHaveProperty('unreachableSince');
    });
  });
});
