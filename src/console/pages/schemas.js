// @ts-check
// Schema Registry subjects at their latest version.
import { h } from '../dom.js';
import { href } from '../router.js';
import { tag } from '../ui/badge.js';
import { listView } from '../ui/list-view.js';
import { pageHeader } from '../ui/page.js';
import { avroFields } from './avro.js';
import { topicLink, topicOfSubject } from './topic.js';

/** @type {import('../router.js').Render} */
export function render(view) {
  const list = listView({
    path: '/schema',
    testid: 'schemas-list',
    searchPlaceholder: 'Search subject, type or compatibility',
    searchLabel: 'Search schemas',
    // Subjects change rarely and each read asks the registry: a slower beat than the task lists.
    pollMs: 15000,
    rowKey: (/** @type {import('../api-types.js').SchemaRow} */ s) => s.subject,
    defaultSort: { sort: 'subject', order: 'asc' },
    empty: () =>
      h('span', 'No subjects in the registry yet. ', h('a', { href: href(['schemas', 'new']) }, 'Add a schema'), '.'),
    columns: [
      {
        label: 'Subject',
        sort: 'subject',
        render: (s) => h('a.strong', { href: href(['schemas', s.subject]), 'data-testid': 'subject-link' }, s.subject),
      },
      { label: 'Latest version', sort: 'version', className: 'num', render: (s) => `v${s.version}` },
      { label: 'Schema id', sort: 'schemaId', className: 'num', render: (s) => String(s.schemaId) },
      { label: 'Type', sort: 'schemaType', render: (s) => tag(s.schemaType) },
      {
        label: 'Record',
        render: (s) => {
          const fields = avroFields(s.schema);
          return fields
            ? h(
                'span',
                h('code', /** @type {import('./avro.js').AvroObject} */ (s.schema).name ?? ''),
                h('span.muted', ` · ${fields.length} field${fields.length === 1 ? '' : 's'}`),
              )
            : h('span.muted', '—');
        },
      },
      { label: 'Compatibility', sort: 'compatibility', render: (s) => tag(s.compatibility ?? '—') },
      { label: 'Topic', render: (s) => topicLink(topicOfSubject(s.subject)) },
    ],
  });
  view.append(
    pageHeader({
      title: 'Schemas',
      subtitle: 'Subjects of the Schema Registry; each names the Kafka topic it describes.',
      actions: h('a.btn.primary', { href: href(['schemas', 'new']), 'data-testid': 'new-schema' }, '+ New schema'),
    }),
    list.el,
  );
  return () => list.stop();
}
