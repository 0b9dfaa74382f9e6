import { describe, expect, it } from 'vitest'
import { linkify, linkifyMaxChars, type TextPart } from '../../client/src/components/linkify'

function links(text: string): { text: string; href: string }[] {
  return linkify(text).flatMap((part) => (part.kind === 'link' ? [{ text: part.text, href: part.href }] : []))
}

function joined(parts: TextPart[]): string {
  return parts.map((part) => part.text).join('')
}

describe('linkify', () => {
  it('splits text around an http(s) link and keeps every character', () => {
    const text = 'Order status: https://shop.example.com/orders/42?x=1#top\nthanks'

    const parts = linkify(text)

    expect(parts).toEqual([
      { kind: 'text', text: 'Order status: ' },
      { kind: 'link', text: 'https://shop.example.com/orders/42?x=1#top', href: 'https://shop.example.com/orders/42?x=1#top' },
      { kind: 'text', text: '\nthanks' },
    ])
    expect(joined(parts)).toBe(text)
  })

  it('returns no parts for empty text and one text part when there is no link', () => {
    expect(linkify('')).toEqual([])
    expect(linkify('no links here, just a.dot and example.com')).toEqual([{ kind: 'text', text: 'no links here, just a.dot and example.com' }])
  })

  it('leaves sentence punctuation and quotes outside the link', () => {
    const text = 'See https://a.example/x. Or https://b.example/y, "https://c.example/z" and https://d.example/w!? (https://e.example/v) <https://f.example/u>…'

    expect(links(text).map((link) => link.text)).toEqual([
      'https://a.example/x',
      'https://b.example/y',
      'https://c.example/z',
      'https://d.example/w',
      'https://e.example/v',
      'https://f.example/u',
    ])
  })

  it('keeps a closing bracket that belongs to the URL', () => {
    const text = '(https://en.wikipedia.org/wiki/Foo_(bar)).'

    const parts = linkify(text)

    expect(links(text)).toEqual([{ text: 'https://en.wikipedia.org/wiki/Foo_(bar)', href: 'https://en.wikipedia.org/wiki/Foo_(bar)' }])
    expect(joined(parts)).toBe(text)
  })

  it('links bare www. hosts over https and shows them as written', () => {
    expect(links('try www.example.com/help.')).toEqual([{ text: 'www.example.com/help', href: 'https://www.example.com/help' }])
  })

  it('does not link www. when no host follows it', () => {
    expect(links('www. or www.. or www.localhost')).toEqual([])
  })

  it('shows the link as written but points it at the parsed URL', () => {
    expect(links('HTTPS://Example.COM/Path')).toEqual([{ text: 'HTTPS://Example.COM/Path', href: 'https://example.com/Path' }])
  })

  it('never links a scheme other than http or https', () => {
    const text = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.com/x',
      'mailto:a@example.com',
      '//evil.example/x',
      'javascript:alert("https://example.com")',
      'javascript://%0ahttps://example.com',
      '(javascript:alert(1))',
    ].join(' ')

    expect(links(text)).toEqual([])
  })

  it('does not link URLs with credentials', () => {
    expect(links('https://user:pass@example.com/ http://bank.example@evil.example/ www.user@evil.example.com')).toEqual([])
  })

  it('does not link URLs with hidden or direction-changing characters', () => {
    expect(links('https://evil.example/\u202Emoc.elgoog https://good.example\\@evil.example https://a\u200Bb.example')).toEqual([])
  })

  it('does not link what the URL parser rejects', () => {
    expect(links('https:// http://exa%zz.com https://[::1 http://a:99999/ http://. http://-')).toEqual([])
  })

  it('links IPv6 hosts with their port', () => {
    expect(links('status at http://[2001:db8::1]:8080/status.')).toEqual([
      { text: 'http://[2001:db8::1]:8080/status', href: 'http://[2001:db8::1]:8080/status' },
    ])
  })

  it('returns every character of a 10k-character adversarial message', () => {
    const inputs = [
      'http://' + 'a'.repeat(10_000),
      '('.repeat(5_000) + 'https://x.example' + ')'.repeat(5_000),
      'https://a.'.repeat(1_000),
      'www.'.repeat(2_500),
      'https://example.com/' + '.,!?)'.repeat(2_000),
      `https://${'a.'.repeat(5_000)}`,
      'x'.repeat(10_000),
      ' '.repeat(10_000),
    ]

    for (const input of inputs) {
      const parts = linkify(input)

      expect(joined(parts)).toBe(input)
    }
  })

  it(`stops looking for links after ${linkifyMaxChars} characters but keeps the text`, () => {
    const text = `${'word '.repeat(linkifyMaxChars / 5)}https://late.example/ ${'z'.repeat(1_000_000)}`

    const parts = linkify(text)

    expect(parts).toEqual([{ kind: 'text', text }])
  })
})
