import { randomUUID } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Where the files agents send are kept. One interface, so a deployment can put them elsewhere (an object store)
 * without the rest of Carebox knowing: keys are opaque, chosen by the storage.
 */
export interface FileStorage {
  /** Stores the bytes durably and returns the key to read them back with. */
  put(data: Buffer): Promise<string>
  /** The bytes, or undefined when nothing is stored under the key (removed, or the storage was wiped). */
  get(key: string): Promise<Buffer | undefined>
  remove(key: string): Promise<void>
}

const keyPattern = /^\d{4}-\d{2}\/[0-9a-f-]{36}$/

/**
 * Files on the local disk, under `root` (CAREBOX_DATA_DIR/files by default). Several Carebox nodes on different
 * machines need this directory shared between them (or another FileStorage). A file is written beside its final
 * name, flushed, then renamed: a crash never leaves half a file under a key the database knows.
 */
export function diskFileStorage(root: string): FileStorage {
  const fileOf = (key: string) => {
    // Keys come from the database, which only ever holds keys made here: anything else is refused, never joined.
    if (!keyPattern.test(key)) throw new Error(`not a file storage key: ${key}`)
    return path.join(root, key)
  }
  return {
    async put(data) {
      const month = new Date().toISOString().slice(0, 7)
      const key = `${month}/${randomUUID()}`
      const target = fileOf(key)
      await fs.mkdir(path.dirname(target), { recursive: true })
      const partial = `${target}.partial`
      const handle = await fs.open(partial, 'wx', 0o600)
      try {
        await handle.writeFile(data)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs.rename(partial, target)
      return key
    },
    async get(key) {
      try {
        return await fs.readFile(fileOf(key))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },
    async remove(key) {
      await fs.rm(fileOf(key), { force: true })
    },
  }
}
