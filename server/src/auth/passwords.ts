import { hash, verify } from '@node-rs/argon2'

// argon2id (the library's default algorithm) with its default cost: 19 MiB, 2 passes, 1 lane, the minimum
// OWASP recommends. Parameters live in each hash, so raising them later still verifies old hashes.
export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** Stored instead of a hash while a password reset is pending: not a PHC string, so nothing verifies against it. */
export const unusablePasswordHash = '!reset-pending'

let decoy: Promise<string> | undefined
/**
 * Spends the time a real check would when there is no account to check against, so the answer's timing does
 * not tell whether an email is registered.
 */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hash('decoy password, never matches anything')
  await verifyPassword(await decoy, password)
  return false
}
