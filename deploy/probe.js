// The image's health probe: exits 0 when GET /livez on this container answers 2xx, 1 otherwise.
// One probe for every command of the image: a process with the API answers on DF_PORT; a worker
// alone answers on its probe listener (DF_PROBE_ADDRESS), asked when DF_PORT has no answer.
// Arguments PORT [PATH] ask that one place instead. Node's own fetch: a slim image has no curl.
const LOOPBACK = '127.0.0.1';

function probeTargets() {
  if (process.argv[2]) return [`http://${LOOPBACK}:${process.argv[2]}${process.argv[3] || '/livez'}`];
  const targets = [`http://${LOOPBACK}:${process.env.DF_PORT || '8080'}/livez`];
  const probeAddress = process.env.DF_PROBE_ADDRESS || `${LOOPBACK}:8090`;
  if (probeAddress !== 'off') {
    const port = probeAddress.slice(probeAddress.lastIndexOf(':') + 1);
    targets.push(`http://${LOOPBACK}:${port}/livez`);
  }
  return targets;
}

async function live(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(4000) })).ok;
  } catch {
    return false;
  }
}

(async () => {
  for (const url of probeTargets()) if (await live(url)) process.exit(0);
  process.exit(1);
})();
