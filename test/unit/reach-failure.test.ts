import { plainAuthRefusal } from '../../src/ras/reach-failure';

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
