/**
 * Flink's REST errors carry whole Java stack traces (`{"errors": ["Internal server error.",
 * "<Exception on server side:\n…\tat …\nCaused by: …"]}`). These read out the exception messages,
 * and tell a refused jar (it cannot be opened, has no entry class) from a fault of the moment.
 */

/** `a.b.SomeException: ` at the start of a message line, as Java prints a throwable. */
const THROWABLE_PREFIX = /^(?:[\w$]+\.)*[\w$]*(?:Exception|Error|Throwable)[\w$]*:\s*/;
/** A server-side absolute path (Flink's upload and temp directories): only its last segment is shown. */
const ABSOLUTE_PATH = /(?:file:)?(?:\/[\w.@+~-]+){2,}\/([\w.@+~-]+)/g;
const NOISE =
  /^(at |\.\.\. \d+ more|<Exception on server side:|End of exception on server side>|Internal server error\.?$)/;

/** The message lines of a Flink error body (each exception's own words, outermost first), no frames. */
export function flinkMessageLines(body: unknown): string[] {
  const errors =
    typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors)
      ? (body as { errors: unknown[] }).errors.map(String)
      : typeof body === 'string'
        ? [body]
        : [];
  const lines: string[] = [];
  for (const error of errors) {
    for (const raw of error.split('\n')) {
      let line = raw.trim().replace(/^Caused by:\s*/, '');
      if (line === '' || NOISE.test(line)) continue;
      for (
        let stripped = line.replace(THROWABLE_PREFIX, '');
        stripped !== line;
        stripped = line.replace(THROWABLE_PREFIX, '')
      )
        line = stripped;
      line = line.replace(ABSOLUTE_PATH, '$1');
      if (line !== '' && !lines.includes(line)) lines.push(line);
    }
  }
  return lines;
}

/** Flink's message, stack frames left out; undefined when its body says nothing readable. */
export function flinkMessageOf(body: unknown): string | undefined {
  const lines = flinkMessageLines(body);
  return lines.length ? lines.join('; ').slice(0, 2000) : undefined;
}

/**
 * A jar Flink cannot run however often it is asked: not a readable jar, no manifest entry class,
 * or an entry class it does not hold. Flink answers these 500 (the program fails to build inside
 * the handler); retried as a fault they would hold an operation for minutes.
 */
const REFUSED_JAR = [
  /ZipException|error in opening zip file|zip END header|invalid (?:LOC|CEN|END) header|Error while opening jar file|is not a jar/i,
  /Neither a 'Main-Class', nor a 'program-class' entry was found|no manifest|MANIFEST/i,
  /entry point class .* (?:was )?not found|Could not load the provided entrypoint class|ClassNotFoundException|NoClassDefFoundError/i,
  /does not have a main\(String\[\]\) method|Could not look up the main\(String\[\]\) method|main method is not static|main method is not public/i,
];

/** The message lines saying why Flink refuses the jar, when that is what its error says. */
export function refusedJarReason(body: unknown): string | undefined {
  const lines = flinkMessageLines(body).filter((line) => REFUSED_JAR.some((p) => p.test(line)));
  return lines.length ? lines.join('; ').slice(0, 1000) : undefined;
}

/** Flink answers a delete of a jar it does not have 400 "File … does not exist in …", not 404. */
export function isMissingJar(message: string | undefined): boolean {
  return /File \S+ does not exist/.test(message ?? '');
}
