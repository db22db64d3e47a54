import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stackEnv } from '../../test/support/stack';

export interface ProducerPerfResult {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  /** The tool's own final summary line, as it printed it. */
  summary: string;
}

/** The final line of ProducerPerformance: the only one that also gives percentiles. */
const SUMMARY =
  /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, .* 50th, .*$/m;

export function parseProducerPerfSummary(output: string): ProducerPerfResult | undefined {
  const m = SUMMARY.exec(output);
  if (!m) return undefined;
  return {
    records: Number(m[1]),
    recordsPerSec: Number(m[2]),
    mbPerSec: Number(m[3]),
    avgLatencyMs: Number(m[4]),
    summary: m[0],
  };
}

/**
 * Kafka's own producer benchmark: the class `kafka-producer-perf-test.sh` runs
 * (org.apache.kafka.tools.ProducerPerformance), from the jars of the stack's Kafka install (the
 * stack resolves Kafka's jars, not its tarball, so there is no .sh to call), on the stack's Java.
 * Its records are drawn from `payloadFile`, one per line, so they have the sizes of the records
 * measured against it; `props` are producer settings (acks and the like).
 */
export async function kafkaProducerPerfTest(options: {
  brokers: string[];
  topic: string;
  records: number;
  payloadFile: string;
  props: Record<string, string>;
}): Promise<ProducerPerfResult> {
  const { JAVA_HOME, KAFKA_HOME, DF_STACK_HOME } = stackEnv();
  if (!KAFKA_HOME || !fs.existsSync(path.join(KAFKA_HOME, 'lib')))
    throw new Error(`the stack's Kafka install is missing (KAFKA_HOME=${KAFKA_HOME}); run npm run stack -- install`);
  const log4j = path.join(DF_STACK_HOME, 'conf', 'kafka', 'log4j2.properties');
  const args = [
    '-Xmx512m',
    ...(fs.existsSync(log4j) ? [`-Dlog4j2.configurationFile=${log4j}`] : []),
    '-cp',
    path.join(KAFKA_HOME, 'lib', '*'),
    'org.apache.kafka.tools.ProducerPerformance',
    '--bootstrap-server',
    options.brokers.join(','),
    '--topic',
    options.topic,
    '--num-records',
    String(options.records),
    '--throughput',
    '-1',
    '--payload-file',
    options.payloadFile,
    '--command-property',
    ...Object.entries(options.props).map(([k, v]) => `${k}=${v}`),
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(path.join(JAVA_HOME, 'bin', 'java'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`ProducerPerformance exited ${code}:\n${out.slice(-2000)}`)),
    );
  });
  const result = parseProducerPerfSummary(output);
  if (!result) throw new Error(`ProducerPerformance printed no summary line:\n${output.slice(-2000)}`);
  return result;
}
