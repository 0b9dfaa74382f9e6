import { defineHandler } from '../queue/tasks.js'
import { expireUploadTask } from './expire-upload.task.js'
import { deleteUnsentFile } from './files.repository.js'

/** The row goes first: once it is gone nothing can take the file, and the bytes are removed after. */
export const expireUploadHandler = defineHandler(expireUploadTask, async (ctx, { fileId }) => {
  const removed = await deleteUnsentFile(ctx.db, fileId)
  if (removed) await ctx.files.remove(removed.storageKey)
})
