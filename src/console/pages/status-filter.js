// @ts-check
// A status filter for task lists (the API's `status` parameter): "show me what failed".
import { h } from '../dom.js';

const CHOICES = [
  ['', 'Any status'],
  ['RUNNING', 'Running'],
  ['FAILED,RWE,LOST', 'Needs attention'],
  ['PAUSED,STOPPED', 'Paused or stopped'],
  ['UNASSIGNED,RESTARTING,STREAMING', 'In transition'],
  ['FINISHED,CANCELED', 'Ended'],
];

let made = 0;

/**
 * The filter's select and the query parameters it asks for.
 * @param {(event: Event) => void} onChange
 */
export function statusFilter(onChange) {
  const id = `status-filter-${++made}`;
  const select = h(
    'select',
    { id, 'data-testid': 'status-filter', onchange: onChange },
    CHOICES.map(([value, label]) => h('option', { value }, label)),
  );
  return {
    el: h('div.inline-field', h('label.visually-hidden', { for: id }, 'Status'), select),
    query: () => (select.value ? { status: select.value } : {}),
  };
}
