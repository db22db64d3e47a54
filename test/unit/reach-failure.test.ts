import { plainAuthRefusal, plainNetworkCause } from '../../src/ras/reach-failure';

/** The messages Node gives for a TLS alert the server sent, as OpenSSL words them. */
const alert = (words: string, code: string) =>
  `C0E7B1F3E47F0000:error:${code}:SSL routines:ssl3_read_bytes:${words}:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1605:SSL alert number 42`;

describe('the plain-words cause of a failed TLS handshake', () => {
  it.each([
    ['a Java server (Flink) refusing a certificate its truststore does not take', 'sslv3 alert certificate unknown'],
    ['an OpenSSL server refusing a certificate another CA signed', 'tlsv1 alert unknown ca'],
    ['a TLS 1.2 server that got no certificate', 'sslv3 alert bad certificate'],
    ['a TLS 1.3 server that got no certificate', 'tlsv13 alert certificate required'],
  ])('names the client certificate and its variables for %s', (_server, words) => {
    expect(plainNetworkCause('flink', undefined, alert(words, '0A000416'))).toBe(
      "TLS: the service refused the connection's client certificate, or wanted one (FLINK_TLS_CERT_FILE, FLINK_TLS_KEY_FILE)",
    );
  });
});

describe("the plain words of a service's refusal of DF's credentials", () => {
  it("names the registry's identity provider as the other cause of a 401 to credentials", () => {
    expect(plainAuthRefusal('schema-registry', 401, 'basic')).toBe(
      'HTTP 401: authentication failed (check SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD), ' +
        'or the registry could not reach the identity provider it checks them with (Apicurio with OIDC)',
    );
    expect(plainAuthRefusal('schema-registry', 401, 'bearer')).toMatch(
      /^HTTP 401: authentication failed \(check SCHEMA_REGISTRY_TOKEN\), or the registry could not reach/,
    );
  });

  it('asks for credentials when the registry wanted some and DF sent none', () => {
    expect(plainAuthRefusal('schema-registry', 401, 'none')).toBe(
      'HTTP 401: authentication failed (the service asks for credentials: set SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD or SCHEMA_REGISTRY_TOKEN)',
    );
  });

  it('names only the credentials for a service that checks them itself', () => {
    expect(plainAuthRefusal('kafka-connect', 401, 'basic')).toBe(
      'HTTP 401: authentication failed (check KAFKA_CONNECT_USERNAME/KAFKA_CONNECT_PASSWORD)',
    );
  });

  it('says a 403 is the credentials not being allowed the request', () => {
    expect(plainAuthRefusal('schema-registry', 403, 'basic')).toBe(
      'HTTP 403: the credentials are not allowed this request (check SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD)',
    );
  });
});
