import { CONNECTOR_CLASS } from './connect-config';
import { spellingFree } from './config-spelling';
import { catalogueClassOf, CONNECTOR_TYPE_CATALOGUE, derivedConnectorType } from './connector-types';
import { allows, entryProblems, REACH_SETTINGS, ReachPolicy, ReachProblem, RealPath } from './reach-policy';
import type { StringMap } from './task';

/**
 * The reach policy for Kafka Connect configs: which connector class, and what each key may point
 * at (paths, hosts); client overrides only when allowed.
 */

/** Connect's per-connector client overrides: producer.override.…, consumer.override.…, admin.override.… (either spelling). */
const OVERRIDE_KEY = /(^|[._])override[._]/;

/** The problems of config entries (an add's config, an update's new config or patch, a config check's values). */
export function connectConfigProblems(
  config: Record<string, string | null>,
  policy: ReachPolicy,
  realPath: RealPath,
): ReachProblem[] {
  const problems: ReachProblem[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value === null) continue;
    const field = `connectorConfig.${key}`;
    if (OVERRIDE_KEY.test(key) && !policy.connectorOverrides) {
      problems.push({ field, message: 'client overrides are not allowed', setting: REACH_SETTINGS.connectorOverrides });
      continue;
    }
    problems.push(...entryProblems(key, value, field, policy, realPath));
  }
  return problems;
}

/**
 * Connector classes that dial a host of their own choosing when their host key is left out:
 * MongoDB's connectors fall back to localhost, which on DF's own machines is likely DF's store.
 */
const HOST_KEY_WITH_DEFAULT: Record<string, string> = {
  'com.mongodb.kafka.connect.MongoSourceConnector': 'connection.uri',
  'com.mongodb.kafka.connect.MongoSinkConnector': 'connection.uri',
};

/** The problem of a config that leaves out the host key its class would otherwise fill with a default host. */
export function defaultHostProblems(
  connectorClass: string | undefined,
  config: Record<string, string | null>,
): ReachProblem[] {
  const key = connectorClass ? HOST_KEY_WITH_DEFAULT[connectorClass] : undefined;
  if (!key || (config[key] ?? config[spellingFree(key)] ?? '').trim() !== '') return [];
  return [
    {
      field: `connectorConfig.${key}`,
      message: `required: without it ${connectorClass} dials its default host (localhost), which the policy cannot check`,
      setting: REACH_SETTINGS.hosts,
    },
  ];
}

/** The problem of a connector class outside the allowed ones, if it is. */
export function connectorClassProblem(connectorClass: string, field: string, policy: ReachPolicy): ReachProblem[] {
  return allows(policy.connectorClasses, connectorClass)
    ? []
    : [
        {
          field,
          message: `connector class ${connectorClass} is not allowed`,
          setting: REACH_SETTINGS.connectorClasses,
        },
      ];
}

/**
 * The class a DF connector type stands for, among the allowed ones: the catalogue's, a class
 * name given as the type, or the allowed class whose derived type it is.
 */
export function allowedClassOfType(connectorType: string, policy: ReachPolicy): string | undefined {
  const candidates = [
    catalogueClassOf(connectorType),
    connectorType.includes('.') ? connectorType : undefined,
    ...policy.connectorClasses.filter((c) =>
      ['source', 'sink'].some((t) => derivedConnectorType(c, t) === connectorType),
    ),
  ];
  return candidates.find((c): c is string => c !== undefined && allows(policy.connectorClasses, c));
}

/** The catalogue's types whose classes are allowed. */
function allowedTypes(policy: ReachPolicy): string[] {
  return Object.entries(CONNECTOR_TYPE_CATALOGUE)
    .filter(([, c]) => allows(policy.connectorClasses, c))
    .map(([type]) => type);
}

/**
 * Checks an add: its class (given, or the one its type stands for) and its config. Answers the
 * config with the checked class pinned, so Kafka Connect gets the very class the policy allowed.
 */
export function checkConnectAdd(
  input: { connectorType?: string; connectorConfig: StringMap },
  policy: ReachPolicy,
  realPath: RealPath,
): { problems: ReachProblem[]; connectorConfig: StringMap } {
  const given = input.connectorConfig[CONNECTOR_CLASS];
  const problems: ReachProblem[] = [];
  let connectorClass: string | undefined = given;
  if (given) problems.push(...connectorClassProblem(given, `connectorConfig.${CONNECTOR_CLASS}`, policy));
  else {
    connectorClass = allowedClassOfType(input.connectorType ?? '', policy);
    // With any class allowed, a type the catalogue does not know is left for Kafka Connect's plugins to resolve.
    if (!connectorClass && !policy.connectorClasses.includes('*')) {
      problems.push({
        field: 'connectorType',
        message: `connectorType ${input.connectorType} stands for no allowed connector class; expected one of ${allowedTypes(policy).join(', ')}, or connectorConfig.${CONNECTOR_CLASS}`,
        setting: REACH_SETTINGS.connectorClasses,
      });
    }
  }
  problems.push(
    ...connectConfigProblems(input.connectorConfig, policy, realPath),
    ...defaultHostProblems(connectorClass, input.connectorConfig),
  );
  return {
    problems,
    connectorConfig: connectorClass
      ? { ...input.connectorConfig, [CONNECTOR_CLASS]: connectorClass }
      : input.connectorConfig,
  };
}
