import fs from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU time (user + system) a process has used so far, in ms (Linux /proc), or undefined once it is gone. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start at ") ": utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

/** Pids whose command line contains `needle` (e.g. the stack's Temporal dev server). */
export function pidsMatching(needle: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((d) => {
      try {
        return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** CPU used by named groups of processes between start() and the read. */
export function cpuMeter(groups: Record<string, number[]>): { read(): Record<string, number> } {
  const sum = (pids: number[]) => pids.reduce((total, pid) => total + (cpuMsOf(pid) ?? 0), 0);
  const start = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, sum(pids)]));
  return {
    read: () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, sum(pids) - start[name]])),
  };
}

export const CORES = os.cpus().length;
