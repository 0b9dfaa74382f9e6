import { Id } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { defineTask } from '../queue/tasks.js'

/**
 * Looks up a person's name and picture where the platform's webhooks carry only an id (Messenger, Instagram
 * DMs), once per person and channel.
 */
export const profileTask = defineTask({
  name: 'contact.profile',
  capacity: 'platform',
  payload: Type.Object({ channelId: Id, externalId: Type.String({ minLength: 1, maxLength: 200 }) }),
  maxAttempts: 4,
})

export function profileJobKey(channelId: string, externalId: string): string {
  return `profile:${channelId}:${externalId}`
}
