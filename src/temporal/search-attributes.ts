import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DF_SEARCH_ATTRIBUTES } from '../protocol/search-attributes';
import { log } from '../logger';

const KEYWORD = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/**
 * Makes sure the namespace knows DF's search attributes before any workflow sets them: a workflow
 * that upserts an unknown attribute fails its task over and over. The local stack registers them
 * when the dev server starts; on another server the worker adds them, and if it may not (Temporal
 * Cloud, restricted operator API) it stops with the command that does it.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<void> {
  const known = await connection.operatorService.listSearchAttributes({ namespace });
  const present = new Set(Object.keys({ ...known.customAttributes }));
  const missing = DF_SEARCH_ATTRIBUTES.map((key) => key.name).filter((name) => !present.has(name));
  if (missing.length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((name) => [name, KEYWORD])),
    });
    log('info', 'registered search attributes', { namespace, searchAttributes: missing });
  } catch (error) {
    const [selfHosted, cloud] = searchAttributeCommands(namespace, missing);
    throw new Error(
      `namespace ${namespace} lacks the search attributes ${missing.join(', ')} and they could not be added (${(error as Error).message}); ` +
        `run on a self-hosted Temporal: ${selfHosted}; on Temporal Cloud: ${cloud}`,
    );
  }
}

/** The commands that add the attributes: the `temporal` CLI's (self-hosted) and `tcld`'s (Temporal Cloud, which has no operator API). */
export function searchAttributeCommands(namespace: string, names: readonly string[]): [string, string] {
  return [
    `temporal operator search-attribute create --namespace ${namespace} ${names.map((n) => `--name ${n}`).join(' ')} --type Keyword`,
    `tcld namespace search-attributes add --namespace ${namespace} ${names.map((n) => `--search-attribute ${n}=Keyword`).join(' ')}`,
  ];
}
