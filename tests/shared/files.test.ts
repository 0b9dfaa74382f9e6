import { acceptedMimeTypes, extensionProblem, fileNameProblem, fileRefusal, outboundFiles } from '@carebox/shared'
import { describe, expect, it } from 'vitest'

describe('what each platform takes in a reply', () => {
  it('refuses files where the platform carries text only', () => {
    expect(outboundFiles('facebook', 'public')).toMatchObject({ allowed: false, reason: expect.stringContaining('Replies to comments carry text only') })
    expect(outboundFiles('instagram', 'public').allowed).toBe(false)
    expect(outboundFiles('bluesky', 'dm')).toEqual({ allowed: false, reason: 'Bluesky chats carry text only.' })
    expect(fileRefusal(outboundFiles('bluesky', 'dm'), 'Bluesky', 'image/png', 10)).toBe('Bluesky chats carry text only.')
  })

  it('holds each platform to its own sizes', () => {
    expect(fileRefusal(outboundFiles('whatsapp', 'dm'), 'WhatsApp', 'application/pdf', 90 * 1024 * 1024)).toBeNull()
    expect(fileRefusal(outboundFiles('telegram', 'dm'), 'Telegram', 'application/pdf', 90 * 1024 * 1024)).toBe(
      'Telegram takes files up to 50 MB; this one is 90 MB.',
    )
    expect(fileRefusal(outboundFiles('bluesky', 'public'), 'Bluesky', 'image/jpeg', 1_000_001)).toContain('images up to 1000 kB')
    expect(fileRefusal(outboundFiles('x', 'dm'), 'X', 'image/gif', 14 * 1024 * 1024)).toBeNull()
    expect(fileRefusal(outboundFiles('x', 'dm'), 'X', 'image/png', 6 * 1024 * 1024)).toContain('up to 5 MB')
  })

  it('names what the channel takes when a type is refused', () => {
    const words = fileRefusal(outboundFiles('mastodon', 'public'), 'Mastodon', 'application/pdf', 100)
    expect(words).toBe('Mastodon does not take application/pdf here. It takes: images (16 MB).')
    expect(acceptedMimeTypes(outboundFiles('instagram', 'dm'))).toContain('video/quicktime')
  })

  it('refuses names with paths, controls, direction marks or a leading dot, and accepts ordinary ones', () => {
    expect(fileNameProblem('Relatório de março (final).pdf')).toBeNull()
    expect(fileNameProblem('照片 1.jpg')).toBeNull()
    expect(fileNameProblem('a/b.pdf')).toContain('path')
    expect(fileNameProblem('a\\b.pdf')).toContain('path')
    expect(fileNameProblem('tab\there.pdf')).toContain('control')
    expect(fileNameProblem('photo\u202Egnp.exe')).toContain('text-direction')
    expect(fileNameProblem('.htaccess')).toContain('dot')
    expect(fileNameProblem('  ')).toBe('The file has no name.')
    expect(fileNameProblem(`${'x'.repeat(201)}.pdf`)).toContain('200 characters')
  })
})

describe("a file's name and its type", () => {
  it('must agree, so a script never travels as plain text', () => {
    expect(extensionProblem('notes.txt', 'text/plain')).toBeNull()
    expect(extensionProblem('Photo.JPG', 'image/jpeg')).toBeNull()
    expect(extensionProblem('invoice.bat', 'text/plain')).toBe('A file of type text/plain must be named .txt, not .bat.')
    expect(extensionProblem('label', 'image/png')).toBe('A file of type image/png must be named .png.')
  })
})
