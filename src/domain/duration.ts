/**
 * Durations as people write them in env variables and request bodies: "500ms", "10s", "2m", "1h".
 * A bare number is seconds (a backoff of 30 means 30 s, never 30 ms).
 */
export const DURATION_PATTERN = /^(\d+)(ms|s|m|h)?$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration, or undefined when the text is not one. */
export function durationMs(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? Math.round(text * 1000) : undefined;
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] ?? 's'];
}
