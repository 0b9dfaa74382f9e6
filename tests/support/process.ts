import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { repoRoot } from '../../server/src/config.js'

export interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

export interface Started {
  child: ChildProcess
  output(): string
  /** Resolves with the first match of the pattern in stdout or stderr, or rejects when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  exited: Promise<Finished>
}

/** Starts a command the way a person would, with extra environment, and records its output. */
export function startProcess(command: string, args: string[], env: Record<string, string>, cwd = repoRoot): Started {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, LOG_FORMAT: 'json', ...env },
    // Its own process group, so a test can send Ctrl-C to the whole tree like a terminal does.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
    listeners.forEach((l) => l())
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    listeners.forEach((l) => l())
  })
  const exited = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
  return {
    child,
    output: () => stdout + stderr,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = (stdout + stderr).match(pattern)
          if (match) {
            listeners.delete(check)
            clearTimeout(timer)
            resolve(match)
          }
        }
        const timer = setTimeout(() => {
          listeners.delete(check)
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${stdout}${stderr}`))
        }, timeoutMs)
        listeners.add(check)
        void exited.then(() => {
          if (!listeners.has(check)) return
          listeners.delete(check)
          clearTimeout(timer)
          reject(new Error(`process exited before ${pattern}; output:\n${stdout}${stderr}`))
        })
        check()
      })
    },
  }
}

/** Runs a TypeScript entry point the way the package scripts do: one node process, signals delivered straight to it. */
export function nodeTs(entry: string): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', entry]]
}

export const serverMain = path.join(repoRoot, 'server', 'src', 'main.ts')
