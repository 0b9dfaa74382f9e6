import fs from 'node:fs/promises'
import path from 'node:path'
import { isProcessRunning, processStartTime } from './embedded-processes.js'

/**
 * The Carebox processes ("nodes") using one embedded cluster: a file per process in <dataDir>/postgres.nodes,
 * named by its pid and holding its start time. It decides the cluster's lifecycle: a node never stops or restarts
 * a cluster another live node uses, and the last node to leave stops it.
 *
 * A node killed without a chance to clean up leaves its file behind; a file whose process is gone does not count
 * and is removed by the next reader. Pids only mean something on one host, so nodes sharing a data directory
 * must share a pid namespace too (not two containers on one volume).
 */
export async function registerNode(dataDir: string, pid = process.pid): Promise<void> {
  await fs.mkdir(nodesDir(dataDir), { recursive: true })
  await fs.writeFile(path.join(nodesDir(dataDir), String(pid)), processStartTime(pid) ?? '')
}

export async function unregisterNode(dataDir: string, pid = process.pid): Promise<void> {
  await fs.rm(path.join(nodesDir(dataDir), String(pid)), { force: true })
}

/** The pids of the live nodes other than `self`, removing the files of nodes that are gone. */
export async function listOtherNodes(dataDir: string, self = process.pid): Promise<number[]> {
  const names = await fs.readdir(nodesDir(dataDir)).catch(() => [] as string[])
  const others: number[] = []
  for (const name of names) {
    const pid = Number(name)
    if (!Number.isInteger(pid) || pid <= 0 || pid === self) continue
    const file = path.join(nodesDir(dataDir), name)
    const recordedStart = (await fs.readFile(file, 'utf8').catch(() => '')).trim()
    if (isSameLiveProcess(pid, recordedStart)) others.push(pid)
    else await fs.rm(file, { force: true })
  }
  return others
}

/** A live pid with another start time than recorded is a new process that reused the pid of a dead node. */
function isSameLiveProcess(pid: number, recordedStart: string): boolean {
  if (!isProcessRunning(pid)) return false
  const start = processStartTime(pid)
  return recordedStart === '' || start === undefined || start === recordedStart
}

function nodesDir(dataDir: string): string {
  return path.join(dataDir, 'postgres.nodes')
}
