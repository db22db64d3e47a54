/**
 * The names of jars DF keeps for Flink (POST /uploaded_files). A stored name says what the jar is
 * and which content: `<base>-<sha256 prefix>.jar`; Flink's id for it is `<uuid>_<stored name>`.
 */

/** The shape storedNameOf gives; anything else is not a jar DF stored (nor a path out of its directory). */
const STORED_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}-[0-9a-f]{12}\.jar$/;

const FLINK_ID_PREFIX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_/;

export function storedNameOf(fileName: string, sha256: string): string {
  const last = fileName.split(/[\\/]/).pop() ?? '';
  const base =
    last
      .replace(/\.jar$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[.-]+/, '')
      .slice(0, 100) || 'job';
  return `${base}-${sha256.slice(0, 12)}.jar`;
}

export function isStoredJarName(name: string): boolean {
  return STORED_NAME.test(name);
}

/** The stored name a reference means: a Flink jar id (`<uuid>_<name>`) or the stored name itself. */
export function storedJarName(jarRef: string): string {
  return jarRef.replace(FLINK_ID_PREFIX, '');
}
