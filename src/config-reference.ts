import { type Setting, SETTINGS } from './config';

export const CONFIG_REFERENCE_PATH = 'docs/configuration-reference.md';

/** Markdown table cells cannot hold a bare "|" or a line break, even inside code. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** What the reference shows as a row's default: a secret's value never, whatever it is. */
function shownDefault(row: Setting): string {
  if (row.defaultMeans !== undefined) return row.defaultMeans;
  if (row.secret) return '(not shown: secret)';
  return row.default === '' ? '(empty)' : `\`${row.default}\``;
}

/** docs/configuration-reference.md, written from the settings table (npm run docs:config). */
export function configurationReference(settings: Readonly<Record<string, Setting>> = SETTINGS): string {
  const rows = Object.entries(settings).map(
    ([name, row]) =>
      `| \`${name}\` | ${cell(shownDefault(row))} | ${row.secret ? 'yes' : row.holdsCredentials ? 'in URL' : 'no'} | ${cell(row.description)} |`,
  );
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from the settings table in src/config.ts by `npm run docs:config`; edit the table, not this file. -->',
    '',
    'Every environment variable DataFibers reads. An unset or empty variable takes its default, the local',
    "stack's value; a malformed value stops the process at start, naming the variable. A secret's value is",
    'never echoed in an error. See [configuration](configuration.md).',
    '',
    'A secret (`yes`) or a URL that may carry credentials (`in URL`) can instead be read from a file:',
    "`NAME_FILE=/run/secrets/name` (the convention of container secrets) makes the file's content, less a",
    'final line break, the value of `NAME`. Setting both `NAME` and `NAME_FILE` stops the process.',
    '',
    '| variable | default | secret | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
