import { createHash } from 'node:crypto'

const tidAlphabet = '234567abcdefghijklmnopqrstuvwxyz'

/**
 * The record key of a reply's post, the same on every attempt, so that a repeat after an unknown outcome hits the
 * post the first attempt made instead of writing a second one (the PDS refuses a key it already holds).
 *
 * app.bsky.feed.post keys must be TIDs: 13 base32-sortable characters of a 64-bit value whose top bit is 0, then
 * 53 bits of microseconds since the epoch and a 10-bit clock id (https://atproto.com/specs/tid). A clock-made key
 * would differ between attempts, and the reply's id is a random v4 uuid that carries no time, so every bit comes
 * from a hash of the id. The record-key spec lets a writer pick any TID and tells readers not to trust its time
 * (https://atproto.com/specs/record-key); the post's time is its `createdAt`. The top four bits are kept zero, so
 * the time part falls before 2005: nobody reads it as the moment of writing, and it never lies in the future for
 * a service that compares it with its clock. The cost is that our posts do not sort by key in the repo, which only
 * loosens the storage locality TIDs were chosen for. Sixty hashed bits make two replies sharing a key negligible.
 */
export function replyRecordKey(messageId: string): string {
  let value = createHash('sha256').update(`carebox reply ${messageId}`).digest().readBigUInt64BE(0) >> 4n
  let key = ''
  for (let i = 0; i < 13; i++) {
    key = tidAlphabet[Number(value & 31n)] + key
    value >>= 5n
  }
  return key
}
