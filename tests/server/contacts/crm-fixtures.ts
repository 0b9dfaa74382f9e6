import type { TokenScope } from '@carebox/shared'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../../server/src/context.js'
import type { SignedIn } from '../../support/auth.js'
import { teamOfChannel } from '../../support/routing.js'

export const metaChannel = { settings: { mode: 'webhook' as const, apiBaseUrl: 'http://127.0.0.1:9' }, secrets: { appSecret: 's', accessToken: 't' } }

/** A customer who wrote once on a channel: one identity (under `externalId`), one conversation, one message. */
export async function customerOn(
  ctx: AppContext,
  channelId: string,
  name: string,
  externalId = `${name}-${channelId}`,
): Promise<{ contactId: string; conversationId: string }> {
  const now = new Date()
  const contact = await ctx.db.insertInto('contacts').values({ name, firstSeenAt: now, lastSeenAt: now }).returning('id').executeTakeFirstOrThrow()
  await ctx.db.insertInto('contactIdentities').values({ contactId: contact.id, channelId, externalId, name }).execute()
  const conversation = await ctx.db
    .insertInto('conversations')
    .values({
      channelId,
      teamId: teamOfChannel(channelId),
      threadKey: `dm:${externalId}`,
      kind: 'dm',
      contactId: contact.id,
      lastMessageAt: now,
      lastInboundAt: now,
      lastMessagePreview: 'hello',
      messageCount: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await ctx.db
    .insertInto('messages')
    .values({
      conversationId: conversation.id,
      channelId,
      externalId: `m-${externalId}`,
      direction: 'inbound',
      authorKind: 'contact',
      authorContactId: contact.id,
      text: 'hello',
      status: 'received',
      sentAt: now,
    })
    .execute()
  return { contactId: contact.id, conversationId: conversation.id }
}

/** An API token made by an admin through the API, as Settings → API tokens makes it. */
export async function createToken(app: FastifyInstance, admin: SignedIn, scopes: TokenScope[], teamIds?: string[]): Promise<{ id: string; secret: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: admin.headers,
    payload: { name: `token ${scopes.join(' ')}`, scopes, ...(teamIds && { teamIds }) },
  })
  if (response.statusCode !== 200) throw new Error(`token not created: ${response.statusCode} ${response.body}`)
  const body = response.json<{ token: { id: string }; secret: string }>()
  return { id: body.token.id, secret: body.secret }
}

export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` }
}

/** Everything an upsert could change: contacts' keys and CRM fields, their records elsewhere, the record of changes. */
export async function crmSnapshot(ctx: AppContext) {
  return {
    contacts: await ctx.db
      .selectFrom('contacts')
      .select(['id', 'name', 'email', 'phone', 'crmCompany', 'crmTier', 'crmOwner', 'crmLifetimeValue', 'crmCurrency', 'attributes', 'mergedInto'])
      .orderBy('id')
      .execute(),
    externalIds: await ctx.db.selectFrom('contactExternalIds').select(['contactId', 'system', 'externalId', 'url']).orderBy('externalId').execute(),
    changes: (
      await ctx.db
        .selectFrom('changes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  }
}
