import type { ChannelKind } from '@carebox/shared'
import { sql } from 'kysely'
import { cachedChannel } from '../channels/channel-cache.js'
import { ConnectorError } from '../channels/connector.js'
import { connectors } from '../channels/connectors.js'
import { defineHandler } from '../queue/tasks.js'
import { recordChanges, recordConversationsUpdated } from '../changes/changes.repository.js'
import { profileTask } from './profile.task.js'

/**
 * Fills in what the platform tells of a person: name, username and picture where nothing was known, and the
 * follower count (a rule condition) where the platform gives one. What a person or a merge set is never
 * overwritten. A refusal (no permission, the person blocked the Page) leaves the contact as it was.
 */
export const profileHandler = defineHandler(profileTask, async (ctx, { channelId, externalId }) => {
  const channel = await cachedChannel(ctx, channelId)
  const connector = channel ? connectors[channel.row.kind as ChannelKind] : undefined
  if (!channel || !connector?.profile) return
  let profile
  try {
    profile = await connector.profile(externalId, channel.runtime)
  } catch (error) {
    if (error instanceof ConnectorError && error.retryable) throw error
    ctx.log.info({ err: error, channelId }, 'profile lookup refused; the contact keeps its id for a name')
    return
  }
  await ctx.db.transaction().execute(async (trx) => {
    const identity = await trx
      .updateTable('contactIdentities')
      .set({
        name: sql`coalesce(name, ${profile.name ?? null}::text)`,
        handle: sql`coalesce(handle, ${profile.handle ?? null}::text)`,
        avatarUrl: sql`coalesce(avatar_url, ${profile.avatarUrl ?? null}::text)`,
      })
      .where('channelId', '=', channelId)
      .where('externalId', '=', externalId)
      .returning('contactId')
      .executeTakeFirst()
    if (!identity) return
    const followers = profile.followers === undefined ? null : String(profile.followers)
    await trx
      .updateTable('contacts')
      .set({
        name: sql`coalesce(name, ${profile.name ?? null}::text)`,
        handle: sql`coalesce(handle, ${profile.handle ?? null}::text)`,
        avatarUrl: sql`coalesce(avatar_url, ${profile.avatarUrl ?? null}::text)`,
        attributes: sql`case when ${followers}::text is null then attributes else attributes || jsonb_build_object('followers', ${followers}::text) end`,
        updatedAt: ctx.clock.now(),
      })
      .where('id', '=', identity.contactId)
      .execute()
    const actor = { type: 'system', id: 'profile' } as const
    await recordChanges(trx, [{ type: 'contact.updated', contactId: identity.contactId, actor, data: { changed: ['profile'] } }])
    // The open conversations' rows show the name: the consoles hear of them.
    const rows = await trx.selectFrom('conversations').select('id').where('contactId', '=', identity.contactId).where('status', '<>', 'resolved').execute()
    await recordConversationsUpdated(
      trx,
      rows.map((r) => r.id),
      ['contact'],
      actor,
    )
  })
})
