import { z } from 'zod';
import type { StringMap } from './task';
import { parseOrThrow } from './validation';

/**
 * Which Kafka topics a task reads or writes, from its config: GET /s2t lists the tasks of a topic.
 * Names match exactly (the original matched substrings, so `stock` also found `stock2`'s tasks).
 */

/** Config keys that name topics, each a single name or a comma list; dotted keys in either spelling. */
const TOPIC_KEYS = [
  'topics',
  'topic',
  'topic_in',
  'topic_out',
  'stream_back_topic',
  'errors.deadletterqueue.topic.name',
  'errors_deadletterqueue_topic_name',
];

/** `'topic' = '…'` in the WITH clause of a SQL script's tables (Flink takes `a;b` for several). */
const SQL_TOPIC_OPTION = /'topic'\s*=\s*'([^']*)'/g;

function names(list: string, separator: RegExp): string[] {
  return list
    .split(separator)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Every topic the config names, once each. */
export function topicsOfConfig(config: StringMap): string[] {
  const found = new Set<string>();
  for (const key of TOPIC_KEYS) {
    const value = config[key];
    if (typeof value === 'string') for (const t of names(value, /,/)) found.add(t);
  }
  const sql = config.trans_sql;
  if (typeof sql === 'string') {
    for (const m of sql.matchAll(SQL_TOPIC_OPTION)) for (const t of names(m[1], /;/)) found.add(t);
  }
  return [...found];
}

/** Whether the config names the topic exactly. */
export function configUsesTopic(config: StringMap, topic: string): boolean {
  return topicsOfConfig(config).includes(topic);
}

const topicName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,249}$/, 'expected a Kafka topic name: 1-249 letters, digits, ".", "_" or "-"');

/** A topic named in a path or query (`id`), checked against Kafka's rule. */
export function parseTopicName(raw: unknown): string {
  return parseOrThrow(topicName, raw, 'topic', 'id');
}
