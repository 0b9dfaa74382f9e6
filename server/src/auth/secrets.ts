import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** 32 random bytes as 43 base64url characters: session cookies, single-use links, API tokens. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * What is stored instead of a secret. The secrets are 256 random bits, so a fast hash is enough (nothing to
 * brute-force), and lookups by hash stay indexable.
 */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest()
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
