import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { demoPhoto } from '../../../server/src/simulator/photos.js'
import { sniffImageType } from '../../../server/src/media/sniff.js'

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))))

describe('sniffImageType', () => {
  it('recognises PNG, JPEG, GIF and WebP by their magic bytes', () => {
    expect(sniffImageType(bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13]))).toBe('image/png')
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg')
    expect(sniffImageType(bytes('GIF87a', [1, 0, 1, 0]))).toBe('image/gif')
    expect(sniffImageType(bytes('GIF89a', [1, 0, 1, 0]))).toBe('image/gif')
    expect(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp')
  })

  it('recognises the PNG the demo simulator serves', () => {
    expect(sniffImageType(demoPhoto('damage-ana'))).toBe('image/png')
  })

  it('does not take SVG, HTML or other RIFF files for images', () => {
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeUndefined()
    expect(sniffImageType(bytes('<!doctype html><img src=x onerror=alert(1)>'))).toBeUndefined()
    expect(sniffImageType(bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt '))).toBeUndefined()
    expect(sniffImageType(bytes('%PDF-1.7'))).toBeUndefined()
    expect(sniffImageType(deflateSync(Buffer.from('png')))).toBeUndefined()
  })

  it('does not match truncated signatures', () => {
    expect(sniffImageType(new Uint8Array())).toBeUndefined()
    expect(sniffImageType(bytes([0x89], 'PNG'))).toBeUndefined()
    expect(sniffImageType(bytes([0xff, 0xd8]))).toBeUndefined()
    expect(sniffImageType(bytes('GIF8'))).toBeUndefined()
    expect(sniffImageType(bytes('RIFF', [0, 0, 0, 0], 'WEB'))).toBeUndefined()
  })
})
