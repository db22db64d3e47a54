import { plainNetworkCause } from '../../src/ras/reach-failure';

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
