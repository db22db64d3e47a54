// The image's health probe: exits 0 when GET /livez on this container answers 2xx, 1 otherwise.
// The port is the first argument, else DF_PORT (the API's). No curl or wget in a slim image, and
// Node's own fetch needs nothing more.
const port = process.argv[2] || process.env.DF_PORT || '8080';
const path = process.argv[3] || '/livez';

fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));
