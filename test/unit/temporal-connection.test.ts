import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, shownValue } from '../../src/config';
import {
  clientConnectionOptions,
  nativeConnectionOptions,
  temporalFailureCause,
} from '../../src/temporal/connection-options';

const API_KEY = 'tmprl-api-key-0123456789-abcdefghij';
// A real key, so the spec also shows that its PEM text never leaks into a message.
const KEY_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
// Only the PEM block is checked at start (the TLS handshake checks the rest): a PEM-shaped stand-in.
const CERT_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0VSVA==\n-----END CERTIFICATE-----\n';
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0E=\n-----END CERTIFICATE-----\n';

let dir: string;
let files: { ca: string; cert: string; key: string };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-temporal-'));
  files = { ca: path.join(dir, 'ca.pem'), cert: path.join(dir, 'client.pem'), key: path.join(dir, 'client.key') };
  fs.writeFileSync(files.ca, CA_PEM);
  fs.writeFileSync(files.cert, CERT_PEM);
  fs.writeFileSync(files.key, KEY_PEM);
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A dev-mode environment whose default profile file location is an empty folder. */
function env(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { DF_DEV_MODE: 'true', XDG_CONFIG_HOME: path.join(dir, 'xdg'), ...vars };
}

function profileFile(toml: string): string {
  const file = path.join(dir, 'temporal.toml');
  fs.writeFileSync(file, toml);
  return file;
}

function configError(vars: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(vars);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig did not fail');
}

describe('Temporal connection settings', () => {
  it('connects in plaintext to the local dev server when nothing is set', () => {
    const { temporal } = loadConfig(env());
    expect(temporal.connection).toEqual({ address: '127.0.0.1:7233' });
    expect(clientConnectionOptions(temporal.connection)).toMatchObject({ address: '127.0.0.1:7233', tls: false });
    expect(nativeConnectionOptions(temporal.connection)).toEqual({ address: '127.0.0.1:7233', tls: false });
    expect(temporal.security).toEqual({ tls: false, auth: 'none' });
  });

  it('gives both connections mTLS with the server CA and server-name override from the variables', () => {
    const { temporal } = loadConfig(
      env({
        TEMPORAL_ADDRESS: '10.0.0.5:7233',
        TEMPORAL_NAMESPACE: 'pipelines',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: files.ca,
        TEMPORAL_TLS_CLIENT_CERT_PATH: files.cert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: files.key,
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      }),
    );
    const expected = {
      address: '10.0.0.5:7233',
      tls: {
        serverNameOverride: 'temporal.internal',
        serverRootCACertificate: Buffer.from(CA_PEM),
        clientCertPair: { crt: Buffer.from(CERT_PEM), key: Buffer.from(KEY_PEM) },
      },
    };
    expect(nativeConnectionOptions(temporal.connection)).toEqual(expected);
    expect(clientConnectionOptions(temporal.connection)).toMatchObject(expected);
    expect(temporal.namespace).toBe('pipelines');
    expect(temporal.security).toEqual({
      tls: true,
      serverName: 'temporal.internal',
      serverCa: files.ca,
      clientCert: files.cert,
      auth: 'mtls',
    });
  });

  it('takes the certificate and key as PEM text too', () => {
    const { temporal } = loadConfig(
      env({ TEMPORAL_TLS_CLIENT_CERT_DATA: CERT_PEM, TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM }),
    );
    expect(temporal.connection.tls?.clientCertPair).toEqual({ crt: Buffer.from(CERT_PEM), key: Buffer.from(KEY_PEM) });
    expect(temporal.security).toMatchObject({ tls: true, clientCert: 'inline', auth: 'mtls' });
  });

  it('turns TLS on with an API key, and links to the Cloud UI for a Temporal Cloud address', () => {
    const { temporal } = loadConfig(
      env({
        TEMPORAL_ADDRESS: 'orders.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'orders.a1b2c',
        TEMPORAL_API_KEY: API_KEY,
      }),
    );
    expect(nativeConnectionOptions(temporal.connection)).toEqual({
      address: 'orders.a1b2c.tmprl.cloud:7233',
      tls: {},
      apiKey: API_KEY,
    });
    expect(temporal.security).toEqual({ tls: true, auth: 'api-key' });
    expect(temporal.uiUrl).toBe('https://cloud.temporal.io');
    expect(loadConfig(env({ TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233' })).temporal.uiUrl).toBe(
      'https://cloud.temporal.io',
    );
    expect(
      loadConfig(env({ TEMPORAL_ADDRESS: 'orders.a1b2c.tmprl.cloud:7233', TEMPORAL_UI_URL: 'https://ui.example/' }))
        .temporal.uiUrl,
    ).toBe('https://ui.example');
  });

  it('reads the API key and the client key from NAME_FILE, as every secret setting', () => {
    const keyFile = path.join(dir, 'api-key');
    fs.writeFileSync(keyFile, `${API_KEY}\n`);
    const withKey = loadConfig(
      env({ TEMPORAL_ADDRESS: 'orders.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY_FILE: keyFile }),
    );
    expect(withKey.temporal.connection).toMatchObject({ apiKey: API_KEY, tls: {} });
    expect(withKey.temporal.security).toEqual({ tls: true, auth: 'api-key' });
    const withCert = loadConfig(
      env({ TEMPORAL_TLS_CLIENT_CERT_DATA: CERT_PEM, TEMPORAL_TLS_CLIENT_KEY_DATA_FILE: files.key }),
    );
    expect(withCert.temporal.connection.tls?.clientCertPair?.key).toEqual(Buffer.from(KEY_PEM.replace(/\n$/, '')));
  });

  it('turns TLS on with TEMPORAL_TLS alone, trusting the system roots', () => {
    for (const on of ['true', '1']) {
      expect(loadConfig(env({ TEMPORAL_TLS: on })).temporal.connection.tls).toEqual({});
    }
    expect(loadConfig(env({ TEMPORAL_TLS: 'false' })).temporal.connection.tls).toBeUndefined();
  });

  it('reads the profile file as the temporal CLI does, each variable overriding its key', () => {
    const file = profileFile(`
[profile.default]
address = "temporal.prod:7233"
namespace = "prod"

[profile.default.tls]
server_ca_cert_path = "${files.ca}"
client_cert_path = "${files.cert}"
client_key_path = "${files.key}"
server_name = "temporal.prod.internal"

[profile.cloud]
address = "orders.a1b2c.tmprl.cloud:7233"
namespace = "orders.a1b2c"
api_key = "${API_KEY}"
`);
    const fromFile = loadConfig(env({ TEMPORAL_CONFIG_FILE: file })).temporal;
    expect(fromFile).toMatchObject({ address: 'temporal.prod:7233', namespace: 'prod' });
    expect(fromFile.connection.tls).toEqual({
      serverNameOverride: 'temporal.prod.internal',
      serverRootCACertificate: Buffer.from(CA_PEM),
      clientCertPair: { crt: Buffer.from(CERT_PEM), key: Buffer.from(KEY_PEM) },
    });
    expect(fromFile.security.profile).toBe(`default in ${file}`);

    const overridden = loadConfig(
      env({
        TEMPORAL_CONFIG_FILE: file,
        TEMPORAL_ADDRESS: 'temporal.dr:7233',
        TEMPORAL_TLS_SERVER_NAME: 'dr.internal',
      }),
    ).temporal;
    expect(overridden.connection.address).toBe('temporal.dr:7233');
    expect(overridden.namespace).toBe('prod');
    expect(overridden.connection.tls?.serverNameOverride).toBe('dr.internal');

    const cloud = loadConfig(env({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud' })).temporal;
    expect(cloud.connection).toEqual({ address: 'orders.a1b2c.tmprl.cloud:7233', tls: {}, apiKey: API_KEY });
    expect(cloud.namespace).toBe('orders.a1b2c');

    // TEMPORAL_TLS=false overrides the profile's TLS keys, as in the CLI.
    expect(
      loadConfig(env({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_TLS: 'false' })).temporal.connection.tls,
    ).toBeUndefined();
  });

  it('finds the profile file where the CLI keeps it, under XDG_CONFIG_HOME', () => {
    fs.mkdirSync(path.join(dir, 'xdg', 'temporalio'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'xdg', 'temporalio', 'temporal.toml'),
      '[profile.default]\nnamespace = "fromxdg"\n',
    );
    expect(loadConfig(env()).temporal.namespace).toBe('fromxdg');
  });

  it.each<[string, Record<string, string>, string, RegExp]>([
    [
      'a missing certificate file',
      { TEMPORAL_TLS_CLIENT_CERT_PATH: '/nonexistent/client.pem', TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM },
      'TEMPORAL_TLS_CLIENT_CERT_PATH',
      /\/nonexistent\/client\.pem: no such file/,
    ],
    [
      'a missing CA file',
      { TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/ca.pem' },
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
      /no such file/,
    ],
    [
      'a key without a certificate',
      { TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM },
      'TEMPORAL_TLS_CLIENT_KEY_DATA',
      /without a client certificate/,
    ],
    [
      'a certificate without a key',
      { TEMPORAL_TLS_CLIENT_CERT_DATA: CERT_PEM },
      'TEMPORAL_TLS_CLIENT_CERT_DATA',
      /without its key/,
    ],
    [
      'a file that is not PEM',
      { TEMPORAL_TLS_SERVER_CA_CERT_DATA: 'not a certificate' },
      'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
      /expected a PEM certificate/,
    ],
    [
      'a key file holding a certificate',
      { TEMPORAL_TLS_CLIENT_CERT_DATA: CERT_PEM, TEMPORAL_TLS_CLIENT_KEY_DATA: CERT_PEM },
      'TEMPORAL_TLS_CLIENT_KEY_DATA',
      /expected a PEM private key/,
    ],
    [
      'a path and data for the same file',
      { TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/x', TEMPORAL_TLS_SERVER_CA_CERT_DATA: CA_PEM },
      'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
      /not both/,
    ],
    [
      'an API key with TLS turned off',
      { TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' },
      'TEMPORAL_TLS',
      /API key .* in clear/,
    ],
    [
      'a CA with TLS turned off',
      { TEMPORAL_TLS: 'false', TEMPORAL_TLS_SERVER_CA_CERT_DATA: CA_PEM },
      'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
      /turns TLS off/,
    ],
    [
      'host verification turned off',
      { TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: 'true' },
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
      /TEMPORAL_TLS_SERVER_NAME/,
    ],
    ['a TLS switch that is not a boolean', { TEMPORAL_TLS: 'yes' }, 'TEMPORAL_TLS', /expected true or false/],
    [
      'a missing profile file',
      { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml' },
      'TEMPORAL_CONFIG_FILE',
      /no such file/,
    ],
    ['a profile without a profile file', { TEMPORAL_PROFILE: 'staging' }, 'TEMPORAL_PROFILE', /no profile file/],
  ])('stops at start on %s, naming the variable', (_, vars, variable, reason) => {
    const error = configError(env(vars));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(reason);
  });

  it('names the profile file for a profile it lacks and for a bad key in it', () => {
    const file = profileFile('[profile.default]\naddress = "http://temporal:7233"\n');
    expect(configError(env({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'staging' }))).toMatchObject({
      variable: 'TEMPORAL_PROFILE',
      message: expect.stringContaining(`no profile "staging" in ${file}`),
    });
    const bad = configError(env({ TEMPORAL_CONFIG_FILE: file }));
    expect(bad.variable).toBe('TEMPORAL_CONFIG_FILE');
    expect(bad.message).toMatch(/`address` of the profile .*expected host:port.*TEMPORAL_ADDRESS overrides it/);
    expect(loadConfig(env({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_ADDRESS: 'temporal:7233' })).temporal.address).toBe(
      'temporal:7233',
    );
    const broken = profileFile('[profile.default\naddress = ');
    expect(configError(env({ TEMPORAL_CONFIG_FILE: broken })).variable).toBe('TEMPORAL_CONFIG_FILE');
  });

  it('never shows the API key or the private key: not in errors, the security summary or a failure cause', () => {
    const keyBody = KEY_PEM.split('\n')[1];
    const messages = [
      configError(env({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' })).message,
      configError(env({ TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM })).message,
      configError(
        env({
          TEMPORAL_API_KEY: API_KEY,
          TEMPORAL_TLS_CLIENT_KEY_DATA: 'not pem',
          TEMPORAL_TLS_CLIENT_CERT_DATA: CERT_PEM,
        }),
      ).message,
      shownValue('TEMPORAL_API_KEY', API_KEY),
      shownValue('TEMPORAL_TLS_CLIENT_KEY_DATA', KEY_PEM),
      JSON.stringify(
        loadConfig(
          env({
            TEMPORAL_API_KEY: API_KEY,
            TEMPORAL_TLS_CLIENT_CERT_DATA: CERT_PEM,
            TEMPORAL_TLS_CLIENT_KEY_DATA: KEY_PEM,
          }),
        ).temporal.security,
      ),
      temporalFailureCause(new Error(`16 UNAUTHENTICATED: bad key ${API_KEY}`), [API_KEY]),
    ];
    for (const message of messages) {
      expect(message).not.toContain(API_KEY);
      expect(message).not.toContain(keyBody);
    }
  });
});

describe('the cause of a failed Temporal connection, in plain words', () => {
  it.each([
    [
      '14 UNAVAILABLE: No connection established. Last error: Error: 0080E6F7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number',
      'TLS: the server does not speak TLS at this address',
    ],
    [
      'Failed to connect: transport error: received corrupt message of type InvalidContentType',
      'TLS: the server does not speak TLS at this address',
    ],
    ['14 UNAVAILABLE: self-signed certificate in certificate chain', 'TLS: certificate signed by an unknown authority'],
    ['transport error: invalid peer certificate: UnknownIssuer', 'TLS: certificate signed by an unknown authority'],
    ["Hostname/IP does not match certificate's altnames", 'TLS: the server certificate is not valid for this name'],
    ['invalid peer certificate: NotValidForName', 'TLS: the server certificate is not valid for this name'],
    ['received fatal alert: CertificateRequired', 'TLS: the server refused the client certificate'],
    ['16 UNAUTHENTICATED: Request unauthenticated', 'API key refused'],
    ['7 PERMISSION_DENIED: Request unauthorized', 'access denied'],
    [
      '14 UNAVAILABLE: No connection established. Last error: Failed to connect (2026-12-06T10:37:10.841Z). Resolution note: ',
      'the server closed the connection without answering (a Temporal that wants TLS, reached without it?',
    ],
    [
      `Failed to call GetSystemInfo: code: 'Unknown error', message: "transport error", source: tonic::transport::Error(Transport, hyper::Error(Io, Custom { kind: BrokenPipe, error: "stream closed because of a broken pipe" }))`,
      'the server closed the connection without answering',
    ],
    ['14 UNAVAILABLE: connect ECONNREFUSED 127.0.0.1:7233', 'unreachable: connection refused'],
    [
      '14 UNAVAILABLE: No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:17299. Resolution note: ',
      'unreachable: connection refused',
    ],
  ])('%s → %s', (message, cause) => {
    expect(temporalFailureCause(new Error(message))).toMatch(
      new RegExp(`^${cause.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
    );
  });

  it('keeps an unknown failure in the transport words', () => {
    expect(temporalFailureCause(new Error('5 NOT_FOUND: Namespace pipelines is not found'))).toBe(
      '5 NOT_FOUND: Namespace pipelines is not found',
    );
  });
});
