// @ts-check
// Connector plugins installed in Kafka Connect: what a new connect can be made from.
import { h, shortClass } from '../dom.js';
import { href } from '../router.js';
import { tag } from '../ui/badge.js';
import { listView } from '../ui/list-view.js';
import { pageHeader } from '../ui/page.js';

/** @type {import('../router.js').Render} */
export function render(view) {
  const list = listView({
    path: '/config',
    testid: 'plugins-list',
    searchPlaceholder: 'Search class, type or version',
    searchLabel: 'Search plugins',
    local: { searchable: ['class', 'type', 'version'] },
    defaultSort: { sort: 'class', order: 'asc' },
    pageSize: 50,
    rowKey: (/** @type {import('../api-types.js').InstalledPlugin} */ p) => p.class,
    empty: () => 'Kafka Connect reports no plugins.',
    columns: [
      {
        label: 'Plugin',
        sort: 'class',
        render: (p) => h('div.cell-stack', h('span.strong', shortClass(p.class)), h('code.muted.small', p.class)),
      },
      { label: 'Type', sort: 'type', render: (p) => tag(p.type, p.type) },
      { label: 'Version', sort: 'version', render: (p) => h('code', p.version ?? '—') },
      {
        label: '',
        className: 'actions-cell',
        render: (p) =>
          p.type === 'source' || p.type === 'sink'
            ? h(
                'a.btn.small',
                { href: href(['connects', 'new'], { plugin: p.class }), 'data-testid': 'use-plugin' },
                'New connect',
              )
            : null,
      },
    ],
  });
  view.append(
    pageHeader({
      title: 'Plugins',
      subtitle: 'Connector plugins installed in Kafka Connect, read live from its workers.',
    }),
    list.el,
  );
  return () => list.stop();
}
