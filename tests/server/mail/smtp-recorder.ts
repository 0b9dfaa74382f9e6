import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** One email as the recorder received it: the envelope, and the decoded headers and bodies. */
export interface ReceivedEmail {
  envelopeTo: string[]
  from: string
  to: string
  subject: string
  text: string
  html: string
}

export interface SmtpRecorder {
  url: string
  port: number
  received: ReceivedEmail[]
  /** The sign-ins the server saw (smtp://user:pass@…). */
  logins: { username: string; password: string }[]
  close(): Promise<void>
}

/**
 * A real SMTP server on 127.0.0.1 (no TLS, sign-in optional) that keeps what it is sent: the mail server in tests,
 * at the edge like the platform simulator. `refuse` lists recipients it answers 550 for, as a real server does
 * for a mailbox that does not exist.
 */
export async function startSmtpRecorder(options: { port?: number; refuse?: string[] } = {}): Promise<SmtpRecorder> {
  const received: ReceivedEmail[] = []
  const logins: SmtpRecorder['logins'] = []
  const refused = new Set((options.refuse ?? []).map((address) => address.toLowerCase()))
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' })
      callback(null, { user: auth.username })
    },
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address.toLowerCase())) {
        const error = Object.assign(new Error('No such mailbox here'), { responseCode: 550 })
        callback(error)
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address)
        received.push({ envelopeTo, ...parseMessage(Buffer.concat(chunks).toString('utf8')) })
        callback()
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.server.address() as AddressInfo).port
  return {
    url: `smtp://carebox:mail-secret@127.0.0.1:${port}`,
    port,
    received,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

interface Part {
  headers: Map<string, string>
  body: string
}

function splitPart(raw: string): Part {
  const at = raw.indexOf('\r\n\r\n')
  const head = at === -1 ? raw : raw.slice(0, at)
  const body = at === -1 ? '' : raw.slice(at + 4)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body }
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=), as nodemailer writes names and subjects beyond ASCII. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_all, encoding: string, text: string) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  )
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding === 'quoted-printable') {
    const bytes = part.body.replace(/=\r\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return part.body
}

/** The text and HTML bodies of a message, however deep in multipart they sit. */
function collectBodies(part: Part, into: { text: string; html: string }): void {
  const type = part.headers.get('content-type') ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = part.body.split(`--${boundary}`).slice(1)
    for (const section of sections) {
      if (section.startsWith('--')) break
      collectBodies(splitPart(section.replace(/^\r\n/, '')), into)
    }
    return
  }
  const body = decodeBody(part).replace(/\r\n/g, '\n')
  if (type.toLowerCase().startsWith('text/html')) into.html += body
  else if (type.toLowerCase().startsWith('text/plain')) into.text += body
}

function parseMessage(raw: string): Omit<ReceivedEmail, 'envelopeTo'> {
  const message = splitPart(raw)
  const bodies = { text: '', html: '' }
  collectBodies(message, bodies)
  return {
    from: decodeWords(message.headers.get('from') ?? ''),
    to: decodeWords(message.headers.get('to') ?? ''),
    subject: decodeWords(message.headers.get('subject') ?? ''),
    ...bodies,
  }
}
