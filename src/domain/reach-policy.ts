import { DfError } from './errors';

/**
 * The reach policy: what a task's config may make Kafka Connect or Flink touch on DF's behalf —
 * connector classes, files, Flink table connectors, hosts, code. A request reaching further is
 * refused before any engine hears of it. Pure: the file system is asked through an injected
 * RealPath, so symlinks are resolved by whoever holds the file system.
 */
export interface ReachPolicy {
  /** Connector classes a connect may use; '*' allows any. */
  connectorClasses: readonly string[];
  /** Local directories (absolute) and remote URI prefixes (scheme://…) paths must lie under. */
  pathRoots: readonly string[];
  /** Flink table connectors and catalog types SQL may declare; '*' allows any. */
  flinkConnectors: readonly string[];
  /** host or host:port entries URIs and server lists may name; '*' allows any. */
  hosts: readonly string[];
  /** ADD JAR, CREATE FUNCTION … USING JAR, Python functions and code-loading SET keys. */
  sqlJars: boolean;
  /** Kafka Connect's per-connector client overrides (producer.override.…, consumer.override.…, admin.override.…). */
  connectorOverrides: boolean;
}

/** The env var that widens each part of the policy: every refusal names it. */
export const REACH_SETTINGS = {
  connectorClasses: 'DF_ALLOWED_CONNECTOR_CLASSES',
  pathRoots: 'DF_ALLOWED_PATHS',
  flinkConnectors: 'DF_ALLOWED_FLINK_CONNECTORS',
  hosts: 'DF_ALLOWED_TASK_HOSTS',
  sqlJars: 'DF_ALLOW_SQL_JARS',
  connectorOverrides: 'DF_ALLOW_CONNECTOR_OVERRIDES',
} as const;

export type ReachSetting = (typeof REACH_SETTINGS)[keyof typeof REACH_SETTINGS];

/**
 * An absolute local path with the symlinks of its longest existing prefix resolved (the rest
 * appended as given), so a link inside an allowed root cannot lead outside it.
 */
export type RealPath = (absolutePath: string) => string;

/** One thing a request may not reach: the field that asks for it and the setting that would allow it. */
export interface ReachProblem {
  field: string;
  message: string;
  setting: ReachSetting;
}

/** The 400 of a request that reaches too far: every problem, each with its field and setting. */
export function reachRefused(problems: ReachProblem[]): DfError {
  const fields: Record<string, string[]> = {};
  for (const p of problems) (fields[p.field] ??= []).push(`${p.message} (allowed by ${p.setting})`);
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new DfError('REACH_REFUSED', `${first.field}: ${first.message}; ${first.setting} would allow it${more}`, {
    details: { fields, settings: [...new Set(problems.map((p) => p.setting))] },
  });
}

export function throwIfRefused(problems: ReachProblem[]): void {
  if (problems.length > 0) throw reachRefused(problems);
}

export function allows(list: readonly string[], value: string): boolean {
  return list.includes('*') || list.includes(value);
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Segments of an absolute POSIX path; undefined when a segment is "..". */
function segmentsOf(absolute: string): string[] | undefined {
  const segments = absolute.split('/').filter((s) => s !== '' && s !== '.');
  return segments.includes('..') ? undefined : segments;
}

function isUnder(path: string, root: string): boolean {
  const r = root.endsWith('/') ? root.slice(0, -1) : root;
  return path === r || path.startsWith(`${r}/`);
}

/** The local path a file: URI or plain path names, or why it names none DF can check. */
function localPathOf(value: string): { path: string } | { problem: string } {
  let raw = value;
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    raw = value.slice('file:'.length);
    if (raw.startsWith('//')) {
      const slash = raw.indexOf('/', 2);
      const authority = slash < 0 ? raw.slice(2) : raw.slice(2, slash);
      if (authority !== '' && authority.toLowerCase() !== 'localhost')
        return { problem: `${value} names a file on host ${authority}` };
      raw = slash < 0 ? '/' : raw.slice(slash);
    }
    try {
      raw = decodeURIComponent(raw);
    } catch {
      return { problem: `${value} is not a valid file URI` };
    }
  }
  if (raw.includes('\0')) return { problem: 'a path cannot hold a NUL character' };
  if (!raw.startsWith('/')) return { problem: `${value} is relative: give an absolute path under an allowed root` };
  const segments = segmentsOf(raw);
  if (!segments) return { problem: `${value} contains "..": give the path without it` };
  return { path: `/${segments.join('/')}` };
}

/**
 * Why a path (plain, file: URI, or a remote URI such as s3://…) is outside the allowed roots, or
 * undefined when it is inside: a local path is compared after ".." is refused and symlinks resolved.
 */
export function pathProblem(
  value: string,
  policy: Pick<ReachPolicy, 'pathRoots'>,
  realPath: RealPath,
): string | undefined {
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'file') {
    const decoded = (() => {
      try {
        return decodeURIComponent(value);
      } catch {
        return undefined;
      }
    })();
    if (decoded === undefined || decoded.split('/').includes('..'))
      return `${value} is not a plain URI (".." or bad escapes)`;
    const remoteRoots = policy.pathRoots.filter((r) => SCHEME.test(r) && !r.toLowerCase().startsWith('file:'));
    return remoteRoots.some((r) => isUnder(value, r))
      ? undefined
      : `${value} is outside the allowed roots (${policy.pathRoots.join(', ')})`;
  }
  const local = localPathOf(value);
  if ('problem' in local) return local.problem;
  const real = realPath(local.path);
  const localRoots = policy.pathRoots.filter((r) => r.startsWith('/') || r.toLowerCase().startsWith('file:'));
  for (const root of localRoots) {
    const rootPath = localPathOf(root);
    if ('path' in rootPath && isUnder(real, realPath(rootPath.path))) return undefined;
  }
  const resolved = real === local.path ? '' : ` (it resolves to ${real})`;
  return `${value} is outside the allowed roots (${localRoots.join(', ')})${resolved}`;
}

/** One host a URI or server list names. */
export interface HostRef {
  host: string;
  port?: number;
}

const DEFAULT_PORTS: Record<string, number> = { mongodb: 27017, http: 80, https: 443 };
const HOST_NAME = /^([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])$/;

/**
 * The hosts a connection URI (mongodb://a:1,b:2/db, jdbc:mysql://h/db, http://h) or a server list
 * (h1:9092,h2:9092) names; undefined when it cannot be read, which the policy treats as a refusal.
 */
export function hostsOf(value: string): HostRef[] | undefined {
  let text = value.trim();
  if (text === '') return [];
  if (/^jdbc:/i.test(text)) text = text.slice(5);
  const sep = text.indexOf('://');
  const scheme =
    sep > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(text.slice(0, sep)) ? text.slice(0, sep).toLowerCase() : undefined;
  const items = scheme
    ? [
        text
          .slice(sep + 3)
          .split(/[/?#]/)[0]
          .replace(/^.*@/, ''),
      ]
    : text.split(',').map(
        (item) =>
          item
            .trim()
            .replace(/^[A-Za-z][A-Za-z0-9+._-]*:\/\//, '')
            .replace(/^.*@/, '')
            .split(/[/?#]/)[0],
      );
  const refs: HostRef[] = [];
  for (const item of items.flatMap((i) => i.split(','))) {
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(item.trim());
    if (!m || !HOST_NAME.test(m[1])) return undefined;
    const port = m[2] !== undefined ? Number(m[2]) : scheme ? DEFAULT_PORTS[scheme] : undefined;
    refs.push({ host: m[1].toLowerCase(), ...(port !== undefined ? { port } : {}) });
  }
  return refs;
}

function hostAllowed(ref: HostRef, entries: readonly string[]): boolean {
  return entries.some((entry) => {
    if (entry === '*') return true;
    const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(entry.toLowerCase());
    if (!m || m[1] !== ref.host) return false;
    return m[2] === undefined || Number(m[2]) === ref.port;
  });
}

/** Why a URI or server list names a host outside the allowed ones, or undefined when it does not. */
export function hostProblem(value: string, policy: Pick<ReachPolicy, 'hosts'>): string | undefined {
  const refs = hostsOf(value);
  if (!refs) return 'cannot tell which hosts it names';
  const denied = refs.filter((r) => !hostAllowed(r, policy.hosts));
  if (denied.length === 0) return undefined;
  const shown = denied.map((r) => (r.port !== undefined ? `${r.host}:${r.port}` : r.host)).join(', ');
  return `${shown} is not an allowed host (allowed: ${policy.hosts.join(', ') || 'none'})`;
}

/** Keys whose value is a file or directory (file, topics.dir, path, …). */
export const PATH_KEY = /(^|[._-])(file|files|filename|path|paths|dir|dirs|directory|location)$/i;
/** Keys whose value names hosts (connection.uri, connection.url, bootstrap.servers, hostname, …). */
export const HOST_KEY = /(^|[._-])(uri|url|urls|server|servers|host|hosts|hostname|address|endpoint)$/i;

/**
 * The problems of one config entry by its key and value: a path key's (or any file: value's)
 * path must lie under the roots, a host key's hosts must be allowed. Connect configs and Flink
 * table options share these rules.
 */
export function entryProblems(
  key: string,
  value: string,
  field: string,
  policy: ReachPolicy,
  realPath: RealPath,
): ReachProblem[] {
  const v = value.trim();
  if (v === '') return [];
  const isFileUri = /^file:/i.test(v);
  if (PATH_KEY.test(key) || isFileUri) {
    const values =
      /s$/i.test(key) && !isFileUri
        ? v
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : [v];
    return values.flatMap((p) => {
      const problem = pathProblem(p, policy, realPath);
      return problem ? [{ field, message: problem, setting: REACH_SETTINGS.pathRoots }] : [];
    });
  }
  if (HOST_KEY.test(key)) {
    const problem = hostProblem(v, policy);
    return problem ? [{ field, message: problem, setting: REACH_SETTINGS.hosts }] : [];
  }
  return [];
}
