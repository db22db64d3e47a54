import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, stackEnv } from './stack';

/**
 * Builds test/fixtures/CountingJob.java into a job jar with the stack's JDK against the stack's
 * Flink (no Maven, no download), and answers the jar's path.
 */
export async function buildCountingJobJar(): Promise<string> {
  const { FLINK_HOME, JAVA_HOME } = stackEnv();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'df-job-jar-'));
  const classes = path.join(dir, 'classes');
  await fs.mkdir(classes);
  const classpath = path.join(FLINK_HOME, 'lib', '*');
  execFileSync(
    path.join(JAVA_HOME, 'bin', 'javac'),
    ['-d', classes, '-cp', classpath, path.join(REPO_ROOT, 'test/fixtures/CountingJob.java')],
    { stdio: 'pipe' },
  );
  const jar = path.join(dir, 'counting-job.jar');
  execFileSync(
    path.join(JAVA_HOME, 'bin', 'jar'),
    ['--create', '--file', jar, '--main-class', 'df.test.CountingJob', '-C', classes, '.'],
    { stdio: 'pipe' },
  );
  return jar;
}
