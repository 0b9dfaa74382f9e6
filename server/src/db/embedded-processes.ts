import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

/** True while the process exists and has not exited; an exited child awaiting its reaper (a zombie) is dead. */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const fields = readStatFields(pid)
  // Without /proc (macOS), kill(pid, 0) is all we can know.
  return fields === undefined || fields[0] !== 'Z'
}

/**
 * When the process started, in clock ticks since boot (field 22 of /proc/<pid>/stat). Pids are reused, so a pid
 * recorded long ago names the same process only if this matches too. undefined without /proc.
 */
export function processStartTime(pid: number): string | undefined {
  return readStatFields(pid)?.[19]
}

/** /proc/<pid>/stat from field 3 (the state) on; comm (field 2) may contain spaces, so split after the last ')'. */
function readStatFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (isProcessRunning(pid) && Date.now() < deadline) await sleep(20)
}

/**
 * The postgres processes working in a directory. Every process of a PostgreSQL server (the postmaster and each
 * backend) runs with the data directory as its working directory. Empty without /proc, or for processes of
 * another user when we are not root.
 */
export async function findPostgresProcessesIn(dir: string): Promise<number[]> {
  const target = await fs.realpath(dir).catch(() => dir)
  const entries = await fs.readdir('/proc').catch(() => [] as string[])
  const pids: number[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    const cwd = await fs.readlink(`/proc/${entry}/cwd`).catch(() => '')
    if (cwd !== target) continue
    const command = await fs.readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '')
    if (command.trim().startsWith('postgres') && isProcessRunning(Number(entry))) pids.push(Number(entry))
  }
  return pids
}
