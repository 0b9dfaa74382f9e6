import type { inlineImageTypes } from '@carebox/shared'

export type InlineImageType = (typeof inlineImageTypes)[number]

const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const jpeg = [0xff, 0xd8, 0xff]
const gif87a = [...'GIF87a'].map((char) => char.charCodeAt(0))
const gif89a = [...'GIF89a'].map((char) => char.charCodeAt(0))
const riff = [...'RIFF'].map((char) => char.charCodeAt(0))
const webp = [...'WEBP'].map((char) => char.charCodeAt(0))

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte)
}

/**
 * The image type the bytes really are, from their magic numbers, or undefined for anything else. The upstream
 * Content-Type is never consulted: whoever controls the file controls that header.
 */
export function sniffImageType(bytes: Uint8Array): InlineImageType | undefined {
  if (startsWith(bytes, png)) return 'image/png'
  if (startsWith(bytes, jpeg)) return 'image/jpeg'
  if (startsWith(bytes, gif87a) || startsWith(bytes, gif89a)) return 'image/gif'
  // RIFF <4-byte size> WEBP
  if (startsWith(bytes, riff) && startsWith(bytes, webp, 8)) return 'image/webp'
  return undefined
}
