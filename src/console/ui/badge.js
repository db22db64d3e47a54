// @ts-check
// Status badges: one colour per meaning, so a glance down the list finds what needs attention.
import { h } from '../dom.js';

/** @type {Record<string, string>} */
const TONE = {
  RUNNING: 'ok',
  FINISHED: 'done',
  PAUSED: 'idle',
  STOPPED: 'idle',
  CANCELED: 'idle',
  NONE: 'idle',
  FAILED: 'bad',
  RWE: 'bad',
  LOST: 'bad',
  UNASSIGNED: 'busy',
  RESTARTING: 'busy',
  STREAMING: 'busy',
};

/** @type {Record<string, string>} */
const LABEL = { RWE: 'RUNNING WITH ERRORS' };

/** @param {string | undefined} status */
export function toneOf(status) {
  return TONE[String(status ?? '').toUpperCase()] ?? 'idle';
}

/**
 * A badge for a DF status; `reason` (why it is so) becomes its tooltip.
 * @param {string | undefined} status
 * @param {string} [reason]
 */
export function statusBadge(status, reason) {
  const s = String(status ?? 'NONE').toUpperCase();
  return h(
    `span.badge.badge-${toneOf(s)}`,
    { 'data-testid': 'status', 'data-status': s, title: reason || LABEL[s] || s },
    h('span.dot', { 'aria-hidden': 'true' }),
    s,
  );
}

/**
 * A neutral label (plugin type, schema type, change kind).
 * @param {string} text
 */
export function tag(text, tone = 'plain') {
  return h(`span.tag.tag-${tone}`, text);
}
