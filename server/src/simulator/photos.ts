import { crc32, deflateSync } from 'node:zlib'

const width = 240
const height = 160
const background = [0xe8, 0xe4, 0xdc] as const
const palette = [
  [0xc0, 0x39, 0x2b],
  [0xe6, 0x7e, 0x22],
  [0xf1, 0xc4, 0x0f],
  [0x27, 0xae, 0x60],
  [0x29, 0x80, 0xb9],
  [0x8e, 0x44, 0xad],
  [0x6b, 0x64, 0x5a],
] as const

/** FNV-1a: the same name always draws the same picture. */
function hash(text: string): number {
  let value = 0x811c9dc5
  for (const char of text) value = Math.imul(value ^ (char.codePointAt(0) ?? 0), 0x01000193) >>> 0
  return value
}

/**
 * A small PNG for a demo attachment: a plain background with a few coloured bars chosen from `name`, so each
 * persona's "photo" looks different. PNG because the media proxy only shows raster images inline.
 */
export function demoPhoto(name: string): Buffer {
  let seed = hash(name)
  const next = () => (seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) >>> 0)
  const bars = Array.from({ length: 5 }, (_, index) => ({
    left: 20 + index * 42,
    top: height - 20 - (30 + (next() % 100)),
    color: palette[next() % palette.length]!,
  }))

  const rowLength = 1 + width * 3
  const pixels = Buffer.alloc(rowLength * height)
  for (let y = 0; y < height; y++) {
    // Each row starts with its filter type; 0 is "none".
    pixels[y * rowLength] = 0
    for (let x = 0; x < width; x++) {
      const bar = bars.find((b) => x >= b.left && x < b.left + 30 && y >= b.top && y < height - 20)
      const [r, g, b] = bar ? bar.color : background
      const offset = y * rowLength + 1 + x * 3
      pixels[offset] = r
      pixels[offset + 1] = g
      pixels[offset + 2] = b
    }
  }
  return encodePng(width, height, pixels)
}

/** 8-bit RGB, no interlace; `rows` already carry their filter bytes. https://www.w3.org/TR/png-3/ */
function encodePng(pngWidth: number, pngHeight: number, rows: Buffer): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(pngWidth, 0)
  header.writeUInt32BE(pngHeight, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const out = Buffer.alloc(4 + typeAndData.length + 4)
  out.writeUInt32BE(data.length, 0)
  typeAndData.copy(out, 4)
  out.writeUInt32BE(crc32(typeAndData), 4 + typeAndData.length)
  return out
}
