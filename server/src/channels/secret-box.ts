import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import { StartupError } from '../errors.js'

/** Encrypts channel secrets at rest with AES-256-GCM (authenticated: a tampered value fails to open). */
export interface SecretBox {
  seal(value: unknown): string
  open<T>(sealed: string): T
  /** A value derived from the key for one purpose (HMAC-SHA256 of `purpose`): stable, secret, never the key. */
  derive(purpose: string): Buffer
}

const version = 'v1'

export function createSecretBox(keyBase64: string): SecretBox {
  const key = Buffer.from(keyBase64, 'base64')
  if (key.length !== 32) throw new StartupError('CAREBOX_SECRET_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).')
  return {
    seal(value) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      return [version, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join('.')
    },
    open<T>(sealed: string): T {
      const [v, iv, tag, ciphertext] = sealed.split('.')
      if (v !== version || !iv || !tag || !ciphertext) throw new Error('unrecognised secret format')
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
      decipher.setAuthTag(Buffer.from(tag, 'base64'))
      const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()])
      return JSON.parse(plain.toString('utf8')) as T
    },
    derive(purpose) {
      return createHmac('sha256', key).update(purpose).digest()
    },
  }
}

/**
 * The key comes from CAREBOX_SECRET_KEY. With the embedded database and no key set, one is generated into
 * the data directory beside the database it protects; an external database needs the key set explicitly,
 * since a key on one machine's disk would not follow the database elsewhere.
 */
export async function loadSecretKey(config: Readonly<Config>, databaseMode: 'embedded' | 'external'): Promise<string> {
  if (config.secretKey) return config.secretKey
  if (databaseMode === 'external') {
    throw new StartupError('CAREBOX_SECRET_KEY is required with DATABASE_URL: set it to `openssl rand -base64 32` and keep it safe.')
  }
  const file = path.join(config.dataDir, 'secret.key')
  try {
    return (await fs.readFile(file, 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = randomBytes(32).toString('base64')
  await fs.mkdir(config.dataDir, { recursive: true })
  await fs.writeFile(file, key, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another process created it first: use theirs.
    if (error.code !== 'EEXIST') throw error
  })
  return (await fs.readFile(file, 'utf8')).trim()
}
