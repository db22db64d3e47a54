import type { LogStoreSettings } from './config';
import { LogLineDoc, logLineDocOf, LogLineQueue, LogProcess } from './domain/log-lines';
import { log, setLogLineSink, withoutLogContext } from './logger';
import type { LogLineRepository } from './repository/log-line-repository';

export interface LogStore {
  /** Lines dropped so far: queue full, or a batch the store refused. */
  dropped(): number;
  /** Writes what is queued now, instead of at the next tick. */
  flush(): Promise<void>;
  /** Writes what is queued (best effort) and stops taking lines. */
  close(): Promise<void>;
}

/** Lines waiting in memory at most; past it new ones are dropped. */
const QUEUE_LINES = 2000;
const BATCH_LINES = 500;
const FLUSH_EVERY_MS = 1000;
const TRIM_EVERY_MS = 30_000;
const DROP_REPORT_EVERY_MS = 60_000;
const CLOSE_WAIT_MS = 5000;

/**
 * Keeps this process's recent log lines that name a task in the store (df_log), for GET /logs.
 * Logging never waits for the store: lines are queued in memory and written in batches by a
 * timer; a full queue or a refused batch drops lines, counted and reported now and then. What this
 * writer logs itself names no task, so it is never kept: a failing store cannot feed itself lines.
 */
export function startLogStore(
  repository: LogLineRepository,
  settings: LogStoreSettings,
  proc: LogProcess,
  now: () => Date = () => new Date(),
): LogStore {
  if (settings.maxLines === 0) return { dropped: () => 0, flush: async () => undefined, close: async () => undefined };
  const queue = new LogLineQueue<LogLineDoc>(QUEUE_LINES);
  const stopSink = setLogLineSink({
    level: 'info',
    wants: (fields) => typeof fields.taskId === 'string' && fields.taskId !== '',
    take: (line) => {
      const doc = logLineDocOf(line, proc);
      if (doc) queue.offer(doc);
    },
  });
  let writing: Promise<void> | undefined;
  let failing = false;
  let lastTrim = 0;
  let wroteSinceTrim = false;
  let lastDropReport = now().getTime();

  const report = (level: 'info' | 'warn', message: string, fields: Record<string, unknown> = {}) =>
    withoutLogContext(() => log(level, message, fields));

  const writeOnce = async (): Promise<void> => {
    while (queue.size > 0) {
      const batch = queue.take(BATCH_LINES);
      try {
        await repository.insert(batch);
        wroteSinceTrim = true;
        if (failing) report('info', 'log store: the store takes log lines again');
        failing = false;
      } catch (error) {
        queue.drop(batch.length);
        if (!failing)
          report('warn', 'log store: the store refused log lines; they are dropped until it takes them again', {
            error: error instanceof Error ? error.message : String(error),
          });
        failing = true;
        return;
      }
    }
    const at = now();
    // A process that wrote nothing leaves the trimming to those that did.
    if (wroteSinceTrim && at.getTime() - lastTrim >= TRIM_EVERY_MS) {
      lastTrim = at.getTime();
      wroteSinceTrim = false;
      // A failed trim is retried at the next one; the reads leave out lines past the age meanwhile.
      await repository.trim(settings.maxLines, settings.maxAgeMs, at).catch(() => undefined);
    }
    if (at.getTime() - lastDropReport >= DROP_REPORT_EVERY_MS) {
      lastDropReport = at.getTime();
      const dropped = queue.takeDroppedSinceReport();
      if (dropped > 0)
        report('warn', 'log store: log lines were dropped (queue full or store away)', {
          dropped,
          droppedTotal: queue.dropped,
        });
    }
  };

  /** One write at a time: a slow store makes the queue fill and drop, never writes pile up. */
  const flush = (): Promise<void> => {
    writing ??= withoutLogContext(() => writeOnce()).finally(() => {
      writing = undefined;
    });
    return writing;
  };

  const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);
  timer.unref();
  return {
    dropped: () => queue.dropped,
    flush,
    async close() {
      clearInterval(timer);
      stopSink();
      // A store that does not answer does not hold up the process's stop for long.
      let giveUp: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        giveUp = setTimeout(resolve, CLOSE_WAIT_MS);
        giveUp.unref();
      });
      await Promise.race([(writing ?? Promise.resolve()).then(flush), waited]);
      clearTimeout(giveUp);
    },
  };
}
