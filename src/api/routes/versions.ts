import { Hono, type Context } from 'hono';
import { configDiff } from '../../domain/config-diff';
import type { ConfigRollbackInput, ConfigVersion } from '../../domain/config-version';
import { CONFIG_VERSION_ROW_SHAPE } from '../../domain/config-version';
import { DfError } from '../../domain/errors';
import { parseRollbackBody, versionNumberOf } from '../../domain/rollback-input';
import { maskConfigSecrets } from '../../domain/secrets';
import type { TaskCategory } from '../../domain/task';
import { parseTaskId } from '../../domain/task-input';
import { DEFAULT_PAGE_SIZE } from '../../domain/task-query';
import { parseMode, UPGRADE_MODES } from '../../domain/transform-input';
import { validationError } from '../../domain/validation';
import { workflowIds } from '../../protocol/workflow-ids';
import type { VersionRepository } from '../../repository/version-repository';
import { connectRollback } from '../../../workflows/connect';
import { transformRollback } from '../../../workflows/transform';
import { KnownTaskDeps, requireKnownTask } from '../known-task';
import { parsePageQuery } from '../list-protocol';
import { answerWithKeyedOperation, OperationDeps } from '../operations';
import { expectedRevision, jsonObjectBody } from '../request-body';
import { requireTaskOf } from './tasks';

export interface VersionRouteDeps extends OperationDeps, KnownTaskDeps {
  versions: Pick<VersionRepository, 'get' | 'list'>;
}

/** The two kinds of task with versions, by the path they live under. */
const KINDS: { base: 'ps' | 'tr'; category: TaskCategory; what: string }[] = [
  { base: 'ps', category: 'CONNECT', what: 'connect' },
  { base: 'tr', category: 'TRANSFORM', what: 'transform' },
];

function noVersion(what: string, id: string, version: number): DfError {
  return new DfError('NOT_FOUND', `${what} ${id} has no version ${version}`, { details: { id, version } });
}

/**
 * Config versions of connects (/ps/:id/versions…) and transforms (/tr/:id/versions…): read from
 * the store, secrets masked as in the task's own answers; and the rollback to one of them, run as
 * its workflow (connectRollback, transformRollback) like an update.
 */
export function versionRoutes(deps: VersionRouteDeps) {
  const app = new Hono();
  for (const { base, category, what } of KINDS) {
    const mask = (value: ConfigVersion | ConfigVersion[]) => maskConfigSecrets(value, deps.secretKeys);
    const requireVersion = async (id: string, raw: string | undefined, field: string): Promise<ConfigVersion> => {
      const version = versionNumberOf(raw);
      if (version === undefined)
        throw validationError(`${field} must be a version number (1, 2, …)`, { [field]: ['expected an integer >= 1'] });
      const kept = await deps.versions.get(id, version);
      if (!kept) throw noVersion(what, id, version);
      return kept;
    };

    app.get(`/${base}/:id/versions`, async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const page = parsePageQuery(c.req.queries(), DEFAULT_PAGE_SIZE, CONFIG_VERSION_ROW_SHAPE, 'version');
      await requireTaskOf(deps.tasks, id, category);
      const rows = await deps.versions.list(id, page.skip, page.limit, page.order, page.sort);
      c.header('X-Total-Count', String(rows.total));
      return c.json(mask(rows.items));
    });

    app.get(`/${base}/:id/versions/diff`, async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const from = versionNumberOf(c.req.query('from'));
      const to = versionNumberOf(c.req.query('to'));
      if (from === undefined || to === undefined) {
        throw validationError('from and to must be version numbers (1, 2, …)', {
          ...(from === undefined ? { from: ['expected an integer >= 1'] } : {}),
          ...(to === undefined ? { to: ['expected an integer >= 1'] } : {}),
        });
      }
      await requireTaskOf(deps.tasks, id, category);
      const before = await requireVersion(id, String(from), 'from');
      const after = await requireVersion(id, String(to), 'to');
      const shown = (key: string, value: string) => deps.secretKeys.maskConfig({ [key]: value })[key];
      return c.json({
        id,
        from,
        to,
        changes: configDiff(before.connectorConfig, after.connectorConfig, shown),
      });
    });

    app.get(`/${base}/:id/versions/:version`, async (c) => {
      const id = parseTaskId(c.req.param('id'));
      await requireTaskOf(deps.tasks, id, category);
      return c.json(mask(await requireVersion(id, c.req.param('version'), 'version')));
    });

    app.post(`/${base}/:id/rollback`, async (c: Context) => {
      const id = parseTaskId(c.req.param('id'));
      const version = parseRollbackBody(await jsonObjectBody(c));
      const revision = expectedRevision(c);
      const upgradeMode =
        category === 'TRANSFORM' ? parseMode(c.req.query('upgradeMode'), UPGRADE_MODES, 'upgradeMode') : undefined;
      await requireKnownTask(deps, id, category === 'CONNECT' ? 'CONNECT' : 'TRANSFORM');
      if (!(await deps.versions.get(id, version))) throw noVersion(what, id, version);
      const input: ConfigRollbackInput = {
        id,
        version,
        ...(revision !== undefined ? { expectedRevision: revision } : {}),
        ...(upgradeMode ? { upgradeMode } : {}),
      };
      return category === 'CONNECT'
        ? answerWithKeyedOperation(
            c,
            deps,
            connectRollback,
            (key) => workflowIds.connectRollback(id, key),
            [input],
            200,
          )
        : answerWithKeyedOperation(
            c,
            deps,
            transformRollback,
            (key) => workflowIds.transformRollback(id, key),
            [input],
            200,
          );
    });
  }
  return app;
}
