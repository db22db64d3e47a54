import { createHash, randomBytes } from 'node:crypto';
import type { IdSuffixSource } from '../domain/task-input';

/**
 * Where an add without an id gets its id's suffix. With an Idempotency-Key the suffix is derived
 * from the key (and the kind of task), so a retry of the add names the same task and joins the
 * first run instead of adding a second task; without one every add is a new task, as in the
 * original DataFibers, and a retry adds another. A bulk run's id is made the same way.
 */
export function idSuffixFor(kind: 'connect' | 'transform' | 'bulk', requestKey: string | undefined): IdSuffixSource {
  return () =>
    requestKey === undefined
      ? randomBytes(8).toString('hex')
      : createHash('sha256').update(`${kind}\n${requestKey}`).digest('hex').slice(0, 16);
}
