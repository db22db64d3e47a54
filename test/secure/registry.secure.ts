import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { DfApp, startDfApp } from '../support/df-app';
import { makeTestPki, TestPki } from '../support/test-pki';
import { uniqueName } from '../support/stack';
import { dfHealthWith } from '../support/df-health';
import { NEW_FIELD_NO_DEFAULT, V1, V2 } from '../support/avro-orders';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not in the secure profile's env: is the registry recipe sourced?`);
  return value;
};

/** The registry's answer to a request made without DF: status and body, never thrown on a status. */
function registryGet(url: string, auth?: { username: string; password: string }) {
  return axios.get(url, {
    httpsAgent: new https.Agent({ ca: fs.readFileSync(env('SCHEMA_REGISTRY_TLS_CA_FILE')) }),
    auth,
    validateStatus: () => true,
  });
}

function plaintextGet(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => resolve(res.statusCode)).on('error', reject);
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The registry of the secure profile: Apicurio over HTTPS only, every request authenticated with a
 * token from its Keycloak, which Apicurio gets for the client id and secret a Confluent-style
 * client sends as HTTP basic auth.
 */
describe('registry (secure profile): Apicurio with OIDC authentication at Keycloak', () => {
  const url = () => env('SCHEMA_REGISTRY_URL');
  const password = () => fs.readFileSync(env('SCHEMA_REGISTRY_PASSWORD_FILE'), 'utf8').trim();

  describe('the registry itself', () => {
    it('is configured for DF by https, the profile CA, client id df and a secret file', () => {
      expect(url()).toMatch(/^https:\/\/127\.0\.0\.1:18081\/apis\/ccompat\/v7$/);
      expect(env('SCHEMA_REGISTRY_USERNAME')).toBe('df');
      expect(process.env.SCHEMA_REGISTRY_PASSWORD).toBeUndefined();
    });

    it('refuses plaintext http on its port', async () => {
      await expect(plaintextGet(url().replace(/^https:/, 'http:') + '/subjects')).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
    });

    it('refuses a request without credentials with 401', async () => {
      expect((await registryGet(`${url()}/subjects`)).status).toBe(401);
    });

    it('refuses a wrong client secret with 401', async () => {
      const res = await registryGet(`${url()}/subjects`, { username: 'df', password: 'not-the-secret' });
      expect(res.status).toBe(401);
    });

    it("serves DF's client, whose role does not reach global rules (403)", async () => {
      const auth = { username: 'df', password: password() };
      expect((await registryGet(`${url()}/config`, auth)).data).toEqual({ compatibilityLevel: 'BACKWARD' });
      const put = await axios.put(
        `${url()}/config`,
        { compatibility: 'NONE' },
        {
          httpsAgent: new https.Agent({ ca: fs.readFileSync(env('SCHEMA_REGISTRY_TLS_CA_FILE')) }),
          auth,
          validateStatus: () => true,
        },
      );
      expect(put.status).toBe(403);
    });
  });

  describe('DF configured by the secure env', () => {
    let app: DfApp;
    const subject = uniqueName('secure-orders');

    beforeAll(async () => {
      app = await startDfApp('secure_registry');
    });
    afterAll(async () => {
      await app?.close();
    });

    it('reports the registry up in /health', async () => {
      const res = await axios.get(app.baseUrl.replace(/\/api\/df$/, '/health'), { validateStatus: () => true });
      expect(res.data.dependencies.schemaRegistry).toMatchObject({ status: 'up', target: url() });
    });

    it('registers an Avro schema as version 1', async () => {
      const res = await app.api.post('/schema', { id: subject, schema: V1, compatibility: 'BACKWARD' });
      expect(res.status).toBe(201);
      expect(res.data).toMatchObject({ subject, version: 1, schema: V1, compatibility: 'BACKWARD' });
    });

    it('registers a compatible change as version 2', async () => {
      const res = await app.api.put(`/schema/${subject}`, { schema: V2 });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ version: 2, versions: [1, 2] });
    });

    it('refuses an incompatible change with 409, still at version 2', async () => {
      const res = await app.api.put(`/schema/${subject}`, { schema: NEW_FIELD_NO_DEFAULT });
      expect(res.status).toBe(409);
      expect(res.data.error.message).toMatch(/not BACKWARD compatible/);
      expect((await app.api.get(`/schema/${subject}`)).data).toMatchObject({ version: 2, versions: [1, 2] });
    });
  });

  describe("DF's /health when the registry is out of reach", () => {
    let pki: TestPki;
    let dir: string;

    beforeAll(() => {
      pki = makeTestPki();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-registry-'));
    });
    afterAll(() => {
      pki?.remove();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('says a wrong password failed authentication, naming the variables and not the password', async () => {
      const wrong = path.join(dir, 'wrong-password');
      fs.writeFileSync(wrong, 'not-the-secret\n', { mode: 0o600 });
      const { status, report } = await dfHealthWith({ SCHEMA_REGISTRY_PASSWORD_FILE: wrong });
      expect(status).toBe(503);
      expect(report.dependencies.schemaRegistry.status).toBe('down');
      expect(report.dependencies.schemaRegistry.error).toMatch(
        /^schema-registry at https:\/\/127\.0\.0\.1:18081\S*: HTTP 401: authentication failed \(check SCHEMA_REGISTRY_USERNAME\/SCHEMA_REGISTRY_PASSWORD\), or the registry could not reach the identity provider it checks them with \(Apicurio with OIDC\)$/,
      );
      expect(JSON.stringify(report)).not.toContain('not-the-secret');
      expect(JSON.stringify(report)).not.toContain(password());
    });

    it('says a certificate from a CA it was not given is signed by an unknown authority', async () => {
      const { report } = await dfHealthWith({ SCHEMA_REGISTRY_TLS_CA_FILE: pki.ca });
      expect(report.dependencies.schemaRegistry.status).toBe('down');
      expect(report.dependencies.schemaRegistry.error).toMatch(
        /^schema-registry unreachable at https:\/\/127\.0\.0\.1:18081\S*: TLS: certificate signed by an unknown authority \(give its CA in SCHEMA_REGISTRY_TLS_CA_FILE\)$/,
      );
      expect(JSON.stringify(report)).not.toContain(password());
    });

    it('says nothing listens at an address where no registry runs', async () => {
      const port = await closedPort();
      const { report } = await dfHealthWith({ SCHEMA_REGISTRY_URL: `https://127.0.0.1:${port}/apis/ccompat/v7` });
      expect(report.dependencies.schemaRegistry.status).toBe('down');
      expect(report.dependencies.schemaRegistry.error).toBe(
        `schema-registry unreachable at https://127.0.0.1:${port}/apis/ccompat/v7/config: connection refused: nothing listens at that address`,
      );
    });
  });
});
