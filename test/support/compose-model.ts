import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './stack';

/** What the specs read of a service in compose-go's normalised project (its JSON form). */
export interface ModelService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | null;
  entrypoint?: string[] | null;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string; required: boolean }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
  group_add?: string[];
  user?: string;
  volumes?: { type: string; source: string; target: string }[];
  ports?: { host_ip?: string; published: string; target: number }[];
}

export interface ComposeModel {
  name: string;
  services: Record<string, ModelService>;
  volumes: Record<string, { name: string }>;
}

/**
 * docker-compose.yml as Docker Compose itself reads it: loaded, interpolated, normalised and
 * validated against the Compose specification by compose-go (deploy/check/compose), built from the
 * Go module proxy on first use. A file Compose would refuse fails here with compose-go's message.
 */
export function loadComposeModel(file = path.join(REPO_ROOT, 'docker-compose.yml')): ComposeModel {
  const checker = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/ensure-compose-check.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  // Only the file's own values: a variable of the caller's environment must not change the model.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return JSON.parse(execFileSync(checker, [file], { encoding: 'utf8', env })) as ComposeModel;
}
