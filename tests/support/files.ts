/** Real bytes of small files, for uploads: each is what its name says, so type sniffing recognises it. */
export const pngBytes = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

export const pdfBytes = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
)

/** A Windows program's first bytes: what a renamed executable looks like. */
export const exeBytes = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(254)])

/** An MP3: an ID3 tag, then two MPEG-1 Layer III frame headers with silence. */
const mp3Frame = Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), Buffer.alloc(413)])
export const mp3Bytes = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0]), mp3Frame, mp3Frame])
