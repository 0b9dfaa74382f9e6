import { createHash } from 'node:crypto'
import {
  channelKindNames,
  extensionProblem,
  fileNameProblem,
  fileRefusal,
  fileRuleFor,
  outboundFiles,
  type ChannelKind,
  type FileRule,
  type MessageAttachment,
  type UploadedFile,
} from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import type { Identity } from '../auth/identity.js'
import { assertConversationVisible } from '../auth/scope.js'
import type { OutboundFile } from '../channels/connector.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { enqueueInTx } from '../queue/queue.js'
import { expireUploadTask, unsentUploadLifetimeMs } from './expire-upload.task.js'
import { contentsMismatch } from './file-contents.js'
import { findFile, findUploadTarget, insertFile } from './files.repository.js'

/**
 * Stores a file an agent attaches to a reply, after checking it as the platform would: its type and size on this
 * channel, its name (it travels to the customer), and that its bytes are what it claims to be. A refused file
 * leaves nothing behind.
 */
export async function uploadFile(
  ctx: AppContext,
  identity: Identity,
  conversationId: string,
  input: { name: string; type: string },
  data: Buffer,
): Promise<UploadedFile> {
  if (identity.kind !== 'user') throw new AppError('forbidden', 'Only a signed-in person can attach files.')
  await assertConversationVisible(ctx.db, identity, conversationId)
  const target = await findUploadTarget(ctx.db, conversationId)
  if (!target) throw new AppError('not_found', 'No such conversation.')
  const nameProblem = fileNameProblem(input.name)
  if (nameProblem) throw new AppError('validation_failed', nameProblem)
  const extensionMismatch = extensionProblem(input.name, input.type)
  const files = outboundFiles(target.channelKind as ChannelKind, target.conversationKind as 'dm' | 'public')
  const refusal = fileRefusal(files, target.channelName, input.type, data.length)
  if (refusal) throw new AppError(refusal.includes(' up to ') ? 'payload_too_large' : 'validation_failed', refusal)
  if (extensionMismatch) throw new AppError('validation_failed', extensionMismatch)
  const mismatch = await contentsMismatch(data, input.type)
  if (mismatch) throw new AppError('validation_failed', mismatch)
  const rule = fileRuleFor(files, input.type) as FileRule

  const storageKey = await ctx.files.put(data)
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const row = await insertFile(trx, {
        conversationId,
        uploadedBy: identity.userId,
        name: input.name.normalize('NFC'),
        mimeType: input.type,
        kind: rule.kind,
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
        storageKey,
      })
      await enqueueInTx(trx, expireUploadTask, { fileId: row.id }, { runAt: new Date(ctx.clock.now().getTime() + unsentUploadLifetimeMs) })
      return { id: row.id, name: row.name, mimeType: row.mimeType, size: row.size, kind: rule.kind }
    })
  } catch (error) {
    // The row never committed: the bytes would be an orphan no one can reach.
    await ctx.files.remove(storageKey)
    throw error
  }
}

/** A file a reply is about to take: the uploader's own, for this conversation, not sent yet, still allowed here. */
export async function fileForReply(
  db: Database,
  input: { fileId: string; userId: string; conversationId: string; channelKind: ChannelKind; conversationKind: 'dm' | 'public' },
): Promise<{ attachment: Static<typeof MessageAttachment>; captionMaxLength: number }> {
  const file = await findFile(db, input.fileId)
  if (!file || file.conversationId !== input.conversationId || file.uploadedBy !== input.userId) {
    throw new AppError('validation_failed', 'That file was not uploaded to this conversation by you: attach it again.')
  }
  if (file.messageId) throw new AppError('conflict', 'That file went with another reply already: attach it again to send it twice.')
  const files = outboundFiles(input.channelKind, input.conversationKind)
  const rule = fileRuleFor(files, file.mimeType)
  if (!rule)
    throw new AppError('validation_failed', fileRefusal(files, channelKindNames[input.channelKind], file.mimeType, file.size) ?? 'This file cannot go here.')
  return {
    attachment: { kind: file.kind, name: file.name, mimeType: file.mimeType, fileId: file.id, size: file.size },
    captionMaxLength: rule.captionMaxLength,
  }
}

/** The bytes of a file a reply carries, for its send. Undefined when the reply has no file of ours. */
export async function outboundFileOf(ctx: AppContext, attachments: unknown): Promise<OutboundFile | undefined> {
  const first: unknown = Array.isArray(attachments) ? attachments[0] : undefined
  const fileId = typeof first === 'object' && first !== null ? (first as { fileId?: unknown }).fileId : undefined
  if (typeof fileId !== 'string') return undefined
  const file = await findFile(ctx.db, fileId)
  const data = file ? await ctx.files.get(file.storageKey) : undefined
  if (!file || !data) throw new AppError('not_found', 'The file of this reply is no longer stored: send it again from the composer.')
  return { kind: file.kind as OutboundFile['kind'], name: file.name, mimeType: file.mimeType, data }
}

/** A stored file, for the console: the caller has checked that they may see the message carrying it. */
export async function readStoredFile(ctx: AppContext, fileId: string): Promise<{ data: Buffer; name: string; mimeType: string } | undefined> {
  const file = await findFile(ctx.db, fileId)
  const data = file ? await ctx.files.get(file.storageKey) : undefined
  return file && data ? { data, name: file.name, mimeType: file.mimeType } : undefined
}
