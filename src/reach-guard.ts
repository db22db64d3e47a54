import fs from 'node:fs';
import path from 'node:path';
import type { ConnectAddInput, ConnectUpdateInput } from './domain/connect-input';
import {
  checkConnectAdd,
  connectConfigProblems,
  connectorClassProblem,
  defaultHostProblems,
} from './domain/connect-reach';
import { ReachPolicy, RealPath, throwIfRefused } from './domain/reach-policy';
import { transformConfigProblems } from './domain/sql-reach';
import type { TransformAddInput, TransformUpdateInput } from './domain/transform-input';

/**
 * The reach policy over the file system: the API holds every add, update and config check against
 * it before a workflow starts or an engine is called, so a refused request changes nothing; the
 * prepare activities hold workflows started without the API (the CLI) to it as well.
 */
export interface ReachGuard {
  /** The add, its class pinned in the config (the class the policy allowed). */
  connectAdd(input: ConnectAddInput): ConnectAddInput;
  connectUpdate(input: ConnectUpdateInput): void;
  /** POST /config/:class/validate: Kafka Connect may dial what the values name, so they are checked first. */
  connectCheck(connectorClass: string, values: Record<string, string>): void;
  transformAdd(input: TransformAddInput): void;
  transformUpdate(input: TransformUpdateInput): void;
  /** A config patch for tasks of either kind (a bulk set-config): checked as a connect's and as a transform's. */
  configPatch(patch: Record<string, string | null>): void;
}

/**
 * The real path of the longest existing prefix of an absolute path, the rest appended as given.
 * Every add and update is checked with it (in the API and again in its first step), mostly for
 * files that do not exist yet: a prefix is looked for before it is resolved, since a failed
 * resolution costs an exception each time, and the resolution is libc's, not Node's lstat of
 * every segment.
 */
export const realPathOfLongestPrefix: RealPath = (absolute) => {
  let existing = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      if (fs.existsSync(existing)) return path.join(fs.realpathSync.native(existing), ...rest);
    } catch {
      // Gone between the look and the resolution, or unreadable: as if it did not exist.
    }
    const parent = path.dirname(existing);
    if (parent === existing) return absolute;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
};

export function reachGuard(policy: ReachPolicy, realPath: RealPath = realPathOfLongestPrefix): ReachGuard {
  const updateEntries = (input: ConnectUpdateInput | TransformUpdateInput) => ({
    ...input.connectorConfig,
    ...input.connectorConfigPatch,
  });
  return {
    connectAdd(input) {
      const checked = checkConnectAdd(input, policy, realPath);
      throwIfRefused(checked.problems);
      return { ...input, connectorConfig: checked.connectorConfig };
    },
    // The class of a connect cannot change (connectUpdate refuses it), so only the values are checked.
    connectUpdate(input) {
      throwIfRefused(connectConfigProblems(updateEntries(input), policy, realPath));
    },
    connectCheck(connectorClass, values) {
      throwIfRefused([
        ...connectorClassProblem(connectorClass, 'class', policy),
        ...connectConfigProblems(values, policy, realPath),
        ...defaultHostProblems(connectorClass, values),
      ]);
    },
    transformAdd(input) {
      throwIfRefused(transformConfigProblems(input.connectorConfig, policy, realPath));
    },
    transformUpdate(input) {
      throwIfRefused(transformConfigProblems(updateEntries(input), policy, realPath));
    },
    configPatch(patch) {
      throwIfRefused(connectConfigProblems(patch, policy, realPath));
      throwIfRefused(transformConfigProblems(patch, policy, realPath));
    },
  };
}
