// @ts-check
// The console's entry: settings, the header, and which page each hash shows.
import { askForToken, getToken, onAuthChange, signOut } from './auth.js';
import { fill, h } from './dom.js';
import { startRouter } from './router.js';
import { getSettings, loadSettings, temporalHomeUrl } from './settings.js';
import * as audit from './pages/audit.js';
import * as connectDetail from './pages/connect-detail.js';
import * as connectForm from './pages/connect-form.js';
import * as connects from './pages/connects.js';
import * as history from './pages/history.js';
import * as plugins from './pages/plugins.js';
import * as schemaDetail from './pages/schema-detail.js';
import * as schemaForm from './pages/schema-form.js';
import * as schemas from './pages/schemas.js';
import * as topic from './pages/topic.js';
import * as transformDetail from './pages/transform-detail.js';
import * as transformForm from './pages/transform-form.js';
import * as transforms from './pages/transforms.js';
import * as webhookDetail from './pages/webhook-detail.js';
import * as webhookForm from './pages/webhook-form.js';
import * as webhooks from './pages/webhooks.js';

/** @typedef {import('./router.js').Match} Match */
/** @typedef {import('./router.js').Render} Render */

/** @type {[string, string][]} */
const SECTIONS = [
  ['connects', 'Connects'],
  ['transforms', 'Transforms'],
  ['schemas', 'Schemas'],
  ['plugins', 'Plugins'],
  ['history', 'History'],
  ['audit', 'Audit'],
  ['webhooks', 'Webhooks'],
];

/** @type {Render} */
function notFound(view, { segments }) {
  view.append(
    h(
      'div.empty-state',
      h('h1', 'Nothing here'),
      h('p', `No page at #/${segments.join('/')}. `, h('a', { href: '#/connects' }, 'Go to connects'), '.'),
    ),
  );
}

/**
 * segments → the page that shows them.
 * @param {string[]} segments
 * @returns {Match}
 */
function resolve(segments) {
  const [section, id, sub] = segments;
  /**
   * @param {{ render: Render }} module
   * @param {Record<string, string>} [params]
   */
  const page = (module, params) => ({ section, render: module.render, params });
  switch (section) {
    case undefined:
      window.location.replace('#/connects');
      return { section: 'connects', render: () => undefined };
    case 'connects':
      if (id === undefined) return page(connects);
      if (id === 'new' && sub === undefined) return page(connectForm, {});
      if (sub === 'edit') return page(connectForm, { id });
      if (sub === undefined) return page(connectDetail, { id });
      break;
    case 'transforms':
      if (id === undefined) return page(transforms);
      if (id === 'new' && sub === undefined) return page(transformForm, {});
      if (sub === 'edit') return page(transformForm, { id });
      if (sub === undefined) return page(transformDetail, { id });
      break;
    case 'schemas':
      if (id === undefined) return page(schemas);
      if (id === 'new' && sub === undefined) return page(schemaForm);
      if (sub === undefined) return page(schemaDetail, { subject: id });
      break;
    case 'topics':
      // A topic is reached from its subject: the Schemas section stays the one lit.
      if (id !== undefined && sub === undefined) return { ...page(topic, { topic: id }), section: 'schemas' };
      break;
    case 'plugins':
      if (id === undefined) return page(plugins);
      break;
    case 'history':
      if (id === undefined) return page(history);
      break;
    case 'audit':
      if (id === undefined) return page(audit);
      break;
    case 'webhooks':
      if (id === undefined) return page(webhooks);
      if (id === 'new' && sub === undefined) return page(webhookForm, {});
      if (sub === 'edit') return page(webhookForm, { id });
      if (sub === undefined) return page(webhookDetail, { id });
      break;
    default:
  }
  return { section, render: notFound };
}

function authArea() {
  const el = h('div.auth', { 'data-testid': 'auth' });
  const paint = () => {
    if (getToken()) {
      fill(
        el,
        h('span.signed-in', 'Signed in'),
        h(
          'button.link',
          {
            type: 'button',
            'data-testid': 'sign-out',
            onclick: () => {
              signOut();
              window.location.reload();
            },
          },
          'Sign out',
        ),
      );
    } else if (getSettings().authRequired) {
      fill(
        el,
        h(
          'button.link',
          {
            type: 'button',
            'data-testid': 'sign-in',
            onclick: async () => {
              if (await askForToken(undefined, { asked: true })) window.location.reload();
            },
          },
          'Sign in',
        ),
      );
    } else {
      fill(el);
    }
  };
  onAuthChange(paint);
  paint();
  return el;
}

async function main() {
  await loadSettings();
  const links = SECTIONS.map(([id, label]) =>
    h('a.nav-link', { href: `#/${id}`, 'data-section': id, 'data-testid': `nav-${id}` }, label),
  );
  const header = h(
    'header.topbar',
    h(
      'a.brand',
      { href: '#/connects', 'aria-label': 'DataFibers console home' },
      h('img', { src: '/console/logo.svg', alt: '', width: 22, height: 22 }),
      h('span', 'DataFibers'),
    ),
    h('nav.nav', { 'aria-label': 'Main' }, links),
    h('span.spacer'),
    h('a.topbar-link', { href: temporalHomeUrl(), target: '_blank', rel: 'noopener' }, 'Temporal UI ↗'),
    authArea(),
  );
  const outlet = h('main#main.main', { tabindex: '-1' });
  // The hash is the router's, so the skip link moves focus itself instead of navigating to #main.
  const skip = h(
    'a.skip-link',
    {
      href: '#/',
      onclick: (e) => {
        e.preventDefault();
        outlet.focus();
      },
    },
    'Skip to content',
  );
  /** @type {HTMLElement} */ (document.getElementById('app')).replaceChildren(skip, header, outlet);
  await startRouter(outlet, resolve, (section) => {
    for (const link of links) {
      const active = link.dataset.section === section;
      link.classList.toggle('active', active);
      if (active) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const label = SECTIONS.find(([id]) => id === section)?.[1];
    document.title = label ? `${label} · DataFibers` : 'DataFibers';
  });
}

main();
