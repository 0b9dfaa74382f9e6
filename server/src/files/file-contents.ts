import { fileTypeFromBuffer } from 'file-type'

/**
 * Detected types that are the declared one in another name. Word, Excel and PowerPoint's old formats are all one
 * container (Compound File Binary); an .m4a and some audio are MP4 files; a WhatsApp voice note is Ogg Opus.
 */
const sameAs: Readonly<Record<string, readonly string[]>> = {
  'application/msword': ['application/x-cfb'],
  'application/vnd.ms-excel': ['application/x-cfb'],
  'application/vnd.ms-powerpoint': ['application/x-cfb'],
  'audio/mp4': ['audio/x-m4a', 'video/mp4'],
  'audio/ogg': ['audio/opus', 'audio/ogg'],
  'video/mp4': ['video/x-m4v'],
  'audio/wav': ['audio/vnd.wave', 'audio/x-wav'],
}

/**
 * Why the bytes are not what the file says it is, or null when they are. The declared type decides how the
 * platform treats the file and how the console shows it, so a renamed executable never travels as a photo.
 * Plain text has no signature: it must decode as UTF-8 and hold no NUL.
 */
export async function contentsMismatch(data: Buffer, declaredType: string): Promise<string | null> {
  const detected = await fileTypeFromBuffer(data)
  if (declaredType === 'text/plain') {
    if (detected) return `The file says it is plain text, but its contents are ${describe(detected.mime)}.`
    return isUtf8Text(data) ? null : 'The file says it is plain text, but its contents are not readable text.'
  }
  if (!detected) return `The file's contents are not ${describe(declaredType)}: its type could not be recognised.`
  if (detected.mime === declaredType || (sameAs[declaredType] ?? []).includes(detected.mime)) return null
  return `The file's contents are not ${describe(declaredType)}: they look like ${describe(detected.mime)}.`
}

function isUtf8Text(data: Buffer): boolean {
  if (data.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data)
    return true
  } catch {
    return false
  }
}

const names: Readonly<Record<string, string>> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/gif': 'a GIF image',
  'image/webp': 'a WebP image',
  'application/pdf': 'a PDF document',
  'application/zip': 'a ZIP archive',
  'video/mp4': 'an MP4 video',
  'audio/mpeg': 'an MP3 recording',
  'application/x-msdownload': 'a Windows program',
  'application/x-elf': 'a program',
}

function describe(mime: string): string {
  return names[mime] ?? `of type ${mime}`
}
