import fs from 'node:fs';
import path from 'node:path';
import { ENV_NAMES, SETTINGS } from '../../src/config';
import { CONFIG_REFERENCE_PATH, configurationReference } from '../../src/config-reference';

describe('the configuration reference', () => {
  it('is what the settings table generates (after changing a setting, run `npm run docs:config`)', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../..', CONFIG_REFERENCE_PATH), 'utf8');
    const generated = configurationReference();
    if (committed !== generated) {
      throw new Error(
        `${CONFIG_REFERENCE_PATH} differs from the settings table in src/config.ts: run \`npm run docs:config\` and commit it`,
      );
    }
  });

  it('lists every variable with its default, whether it is secret and what it means', () => {
    const reference = configurationReference();
    for (const variable of ENV_NAMES) expect(reference).toContain(`| \`${variable}\` |`);
    expect(reference).toContain('| `DF_PORT` | `8080` | no | API port |');
    expect(reference).toContain('| `FLINK_KAFKA_BROKERS` | `KAFKA_BROKERS` | no |');
    expect(reference).toContain('| `DF_API_TOKENS` | none: the API runs open and warns at start | yes |');
  });

  it("never shows a secret setting's default", () => {
    const reference = configurationReference({
      DF_EXAMPLE_KEY: {
        default: 'k1:c2VjcmV0LWRlZmF1bHQ=',
        parser: SETTINGS.DF_PORT.parser,
        secret: true,
        description: 'a key',
      },
      DF_EXAMPLE_PORT: { default: '8080', parser: SETTINGS.DF_PORT.parser, description: 'a port' },
    });
    expect(reference).not.toContain('c2VjcmV0LWRlZmF1bHQ=');
    expect(reference).toContain('| `DF_EXAMPLE_KEY` | (not shown: secret) | yes | a key |');
    expect(reference).toContain('| `DF_EXAMPLE_PORT` | `8080` | no | a port |');
  });

  it('keeps a "|" in a description inside its cell', () => {
    const reference = configurationReference({
      DF_EXAMPLE: { default: 'a', parser: SETTINGS.DF_HOST.parser, description: 'one of `a|b`' },
    });
    expect(reference).toContain('| `DF_EXAMPLE` | `a` | no | one of `a\\|b` |');
  });
});
