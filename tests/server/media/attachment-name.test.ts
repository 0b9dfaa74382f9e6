import { describe, expect, it } from 'vitest'
import { attachmentContentDisposition, sanitizeAttachmentName } from '../../../server/src/media/attachment-name.js'

describe('sanitizeAttachmentName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(sanitizeAttachmentName('Nota fiscal 2024.pdf')).toBe('Nota fiscal 2024.pdf')
    expect(sanitizeAttachmentName('Relatório — março.xlsx')).toBe('Relatório — março.xlsx')
  })

  it('falls back to "attachment" when there is no usable name', () => {
    expect(sanitizeAttachmentName(undefined)).toBe('attachment')
    expect(sanitizeAttachmentName(null)).toBe('attachment')
    expect(sanitizeAttachmentName('')).toBe('attachment')
    expect(sanitizeAttachmentName(' ... ')).toBe('attachment')
    expect(sanitizeAttachmentName('\u202e\u0000\u2066')).toBe('attachment')
  })

  it('replaces path separators so a name cannot point elsewhere', () => {
    expect(sanitizeAttachmentName('../../etc/passwd')).toBe('_.._etc_passwd')
    expect(sanitizeAttachmentName('..\\..\\windows\\win.ini')).toBe('_.._windows_win.ini')
    expect(sanitizeAttachmentName('/tmp/x.png')).toBe('_tmp_x.png')
  })

  it('removes control characters', () => {
    expect(sanitizeAttachmentName('in\u0000voice\r\n.pdf\u007f')).toBe('invoice.pdf')
    expect(sanitizeAttachmentName('a\u0085b\u009f.txt')).toBe('ab.txt')
  })

  it('removes bidi overrides, embeddings and isolates that disguise the extension', () => {
    expect(sanitizeAttachmentName('invoice\u202egpj.exe')).toBe('invoicegpj.exe')
    for (const control of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(sanitizeAttachmentName(`a${control}b.txt`)).toBe('ab.txt')
    }
  })

  it('removes leading dots so the download is not a hidden file', () => {
    expect(sanitizeAttachmentName('.bashrc')).toBe('bashrc')
    expect(sanitizeAttachmentName('...htaccess')).toBe('htaccess')
    expect(sanitizeAttachmentName('  .env')).toBe('env')
  })

  it('caps the length at 120 characters, keeping the extension and whole characters', () => {
    const long = `${'a'.repeat(300)}.pdf`
    const emoji = '📷'.repeat(200)

    expect(sanitizeAttachmentName(long)).toBe(`${'a'.repeat(116)}.pdf`)
    expect(Array.from(sanitizeAttachmentName(emoji))).toHaveLength(120)
    expect(sanitizeAttachmentName(emoji)).toBe('📷'.repeat(120))
  })

  it('replaces lone surrogates instead of failing', () => {
    expect(sanitizeAttachmentName('bad\ud800name.txt')).toBe('bad\ufffdname.txt')
  })
})

describe('attachmentContentDisposition', () => {
  it('gives an ASCII filename and the exact UTF-8 name in filename*', () => {
    expect(attachmentContentDisposition('Relatório março.pdf')).toBe(
      `attachment; filename="Relatorio marco.pdf"; filename*=UTF-8''Relat%C3%B3rio%20mar%C3%A7o.pdf`,
    )
  })

  it('cannot break out of the quoted filename or inject parameters', () => {
    const header = attachmentContentDisposition('evil"; filename*=UTF-8\'\'x.html; a="\\.pdf')

    expect(header).toBe(
      `attachment; filename="evil_; filename*=UTF-8''x.html; a=__.pdf"; filename*=UTF-8''evil%22%3B%20filename%2A%3DUTF-8%27%27x.html%3B%20a%3D%22_.pdf`,
    )
    expect(header.match(/"/g)).toHaveLength(2)
  })

  it('percent-encodes the characters RFC 8187 does not allow as they are', () => {
    expect(attachmentContentDisposition("it's (final)*.txt")).toContain(`filename*=UTF-8''it%27s%20%28final%29%2A.txt`)
  })

  it('never lets a header line break through', () => {
    const header = attachmentContentDisposition('a\r\nSet-Cookie: x=1.txt')

    expect(header).not.toMatch(/[\r\n]/)
  })

  it('uses the fallback name when nothing is left', () => {
    expect(attachmentContentDisposition(undefined)).toBe(`attachment; filename="attachment"; filename*=UTF-8''attachment`)
    expect(attachmentContentDisposition('照片')).toBe(`attachment; filename="__"; filename*=UTF-8''%E7%85%A7%E7%89%87`)
  })
})
