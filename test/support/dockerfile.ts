import fs from 'node:fs';

/** One instruction of a Dockerfile: its keyword (upper case), its flags (`--from=build`) and the rest. */
export interface Instruction {
  keyword: string;
  flags: Record<string, string>;
  args: string;
}

export interface Stage {
  /** The image named by FROM, with the ARG defaults before it substituted. */
  image: string;
  name?: string;
  instructions: Instruction[];
}

/**
 * Reads a Dockerfile as the builder does, far enough for static checks: comments dropped, lines
 * continued by a trailing backslash joined, instructions grouped by stage, and `${ARG}` in FROM
 * resolved from the ARG defaults declared before the first FROM.
 */
export function readDockerfile(file: string): Stage[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const joined: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && current === '')) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    joined.push((current + line).trim());
    current = '';
  }
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const text of joined.filter((l) => l !== '')) {
    const instruction = parseInstruction(text);
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args.split(/\s+/);
      stages.push({
        image: image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => globalArgs[a ?? b] ?? ''),
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [key, value = ''] = instruction.args.split('=');
      globalArgs[key] = value;
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return stages;
}

function parseInstruction(text: string): Instruction {
  const [keyword, ...rest] = text.split(/\s+/);
  const flags: Record<string, string> = {};
  let i = 0;
  for (; i < rest.length && rest[i].startsWith('--'); i++) {
    const [flag, value = ''] = rest[i].slice(2).split('=');
    flags[flag] = value;
  }
  return { keyword: keyword.toUpperCase(), flags, args: rest.slice(i).join(' ') };
}

/** The instructions of a stage with this keyword. */
export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** A COPY's or ADD's sources and destination; exec form (`["a", "b"]`) or shell form. */
export function copyPaths(instruction: Instruction): { sources: string[]; destination: string } {
  const parts = instruction.args.startsWith('[')
    ? (JSON.parse(instruction.args) as string[])
    : instruction.args.split(/\s+/);
  return { sources: parts.slice(0, -1), destination: parts[parts.length - 1] };
}
