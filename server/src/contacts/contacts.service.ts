import type { CustomerPanel } from '@carebox/shared'
import { sql } from 'kysely'
import { recordAudit, type AuditRecord } from '../audit/audit.repository.js'
import { visibleTeamIds, type Identity } from '../auth/identity.js'
import { idsOrNone } from '../auth/scope.js'
import type { AppContext } from '../context.js'
import type { Database } from '../db/client.js'
import { AppError } from '../errors.js'
import { recordChanges, recordConversationsUpdated, type Actor as ChangeActor } from '../changes/changes.repository.js'
import { loadCustomerPanel } from '../conversations/customer-panel.repository.js'
import { assertContactVisible } from './contact-visibility.js'

type Actor = AuditRecord['actor']

async function panel(ctx: AppContext, identity: Identity, contactId: string): Promise<CustomerPanel> {
  const loaded = await loadCustomerPanel(ctx.db, contactId, visibleTeamIds(identity))
  if (!loaded) throw new AppError('not_found', 'No such customer.')
  return loaded
}

/** Conversations whose customer changed: every console showing them learns the customer they now belong to. */
async function recordCustomerConversations(trx: Database, contactIds: string[], actor: ChangeActor): Promise<void> {
  const ids = (await trx.selectFrom('conversations').select('id').where('contactId', 'in', contactIds).execute()).map((row) => row.id)
  await recordConversationsUpdated(trx, ids, ['contact'], actor)
}

/** Identity keys and CRM fields a merge fills in on the kept contact, and its undo puts back. */
const crmKeptColumns = ['email', 'phone', 'crmCompany', 'crmTier', 'crmOwner', 'crmLifetimeValue', 'crmCurrency', 'crmUpdatedAt'] as const
type KeptCrm = Partial<Record<(typeof crmKeptColumns)[number], string | null>>

function fillFromOther(otherId: string) {
  const fill = (column: string) => sql`coalesce(${sql.ref(column)}, (select ${sql.ref(column)} from contacts where id = ${otherId}))`
  // A value and its currency go together: the kept contact's amount never gets the other's currency.
  const pairedWithValue = (column: string) =>
    sql`case when crm_lifetime_value is null then (select ${sql.ref(column)} from contacts where id = ${otherId}) else ${sql.ref(column)} end`
  return Object.fromEntries(
    crmKeptColumns.map((column) => [column, column === 'crmLifetimeValue' || column === 'crmCurrency' ? pairedWithValue(column) : fill(column)]),
  )
}

/**
 * What an undo puts back of the kept contact's keys and CRM fields: only what the merge filled in (empty before)
 * and still holds the value it took from the other contact. A CRM's later push, or an agent's edit, stays.
 */
function crmBefore(before: KeptCrm, otherId: string) {
  return Object.fromEntries(
    crmKeptColumns
      .filter((column) => column in before && (before[column] ?? null) === null)
      .map((column) => [
        column,
        sql`case when ${sql.ref(column)} is not distinct from (select ${sql.ref(column)} from contacts where id = ${otherId}) then null else ${sql.ref(column)} end`,
      ]),
  )
}

export function changeActor(actor: Actor): ChangeActor {
  return actor.userId ? { type: 'agent', id: actor.userId } : { type: 'system', id: 'api' }
}

/** A customer's panel, for one the caller may see (another team's customer answers not found). */
export async function getContact(ctx: AppContext, identity: Identity, contactId: string): Promise<CustomerPanel> {
  await assertContactVisible(ctx.db, identity, contactId)
  return panel(ctx, identity, contactId)
}

export async function searchContacts(ctx: AppContext, identity: Identity, q: string) {
  const teams = visibleTeamIds(identity)
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  let query = ctx.db
    .selectFrom('contacts as c')
    .innerJoin('contactIdentities as i', 'i.contactId', 'c.id')
    .innerJoin('channels as ch', 'ch.id', 'i.channelId')
    .select(['c.id', 'c.name', 'c.handle', sql<string[]>`array_agg(distinct ch.name order by ch.name)`.as('channels')])
    .where('c.mergedInto', 'is', null)
    .where((eb) => eb.or([eb('c.name', 'ilike', pattern), eb('c.handle', 'ilike', pattern), eb('i.handle', 'ilike', pattern)]))
    .groupBy(['c.id', 'c.name', 'c.handle'])
    .orderBy('c.name')
    .limit(20)
  if (teams) query = query.where('ch.teamId', 'in', idsOrNone(teams))
  return { items: await query.execute() }
}

export async function updateContact(
  ctx: AppContext,
  identity: Identity,
  actor: Actor,
  contactId: string,
  input: { tags?: string[]; attributes?: Record<string, string> },
): Promise<CustomerPanel> {
  await assertContactVisible(ctx.db, identity, contactId)
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('contacts')
      .set({
        ...(input.tags && { tags: [...new Set(input.tags.map((t) => t.toLowerCase()))] }),
        ...(input.attributes && { attributes: JSON.stringify(input.attributes) }),
        updatedAt: ctx.clock.now(),
      })
      .where('id', '=', contactId)
      .execute()
    await recordAudit(trx, { action: 'contact.updated', actor, target: { type: 'contact', id: contactId }, details: { changed: Object.keys(input) } })
    await recordChanges(trx, [{ type: 'contact.updated', contactId, actor: changeActor(actor), data: { changed: Object.keys(input) } }])
  })
  return panel(ctx, identity, contactId)
}

export async function addContactNote(ctx: AppContext, identity: Identity, actor: Actor, contactId: string, text: string): Promise<CustomerPanel> {
  await assertContactVisible(ctx.db, identity, contactId)
  await ctx.db.transaction().execute(async (trx) => {
    const note = await trx
      .insertInto('contactNotes')
      .values({ contactId, text, authorUserId: identity.kind === 'user' ? identity.userId : null, createdAt: ctx.clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { action: 'contact.noted', actor, target: { type: 'contact', id: contactId }, details: { noteId: note.id } })
  })
  return panel(ctx, identity, contactId)
}

/**
 * The same person, known as two contacts (say on WhatsApp and on Instagram): everything of `otherId` moves to
 * `keptId`, and what moved is recorded so that undoing the merge moves exactly that back.
 */
export async function mergeContacts(ctx: AppContext, identity: Identity, actor: Actor, keptId: string, otherId: string): Promise<CustomerPanel> {
  if (keptId === otherId) throw new AppError('validation_failed', 'A customer cannot be merged into themselves.')
  await assertContactVisible(ctx.db, identity, keptId)
  await assertContactVisible(ctx.db, identity, otherId)
  await ctx.db.transaction().execute(async (trx) => {
    // Both rows locked, in a fixed order: concurrent merges of the same pair cannot interleave.
    await trx.selectFrom('contacts').select('id').where('id', 'in', [keptId, otherId]).orderBy('id').forUpdate().execute()
    const other = await trx.selectFrom('contacts').select(['mergedInto', 'tags', 'attributes']).where('id', '=', otherId).executeTakeFirstOrThrow()
    const keptBefore = await trx
      .selectFrom('contacts')
      .select(['tags', 'attributes', 'firstSeenAt', 'lastSeenAt', ...crmKeptColumns])
      .where('id', '=', keptId)
      .executeTakeFirstOrThrow()
    if (other.mergedInto) throw new AppError('conflict', 'That customer was merged already.')
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id)
    const identityIds = ids(await trx.updateTable('contactIdentities').set({ contactId: keptId }).where('contactId', '=', otherId).returning('id').execute())
    const conversationIds = ids(await trx.updateTable('conversations').set({ contactId: keptId }).where('contactId', '=', otherId).returning('id').execute())
    const messageIds = ids(await trx.updateTable('messages').set({ authorContactId: keptId }).where('authorContactId', '=', otherId).returning('id').execute())
    const noteIds = ids(await trx.updateTable('contactNotes').set({ contactId: keptId }).where('contactId', '=', otherId).returning('id').execute())
    await trx
      .updateTable('contacts')
      .set({
        tags: sql`array(select distinct unnest(tags || ${other.tags}::text[]))`,
        // The kept contact's attributes win where both have one.
        attributes: sql`${JSON.stringify(other.attributes)}::jsonb || attributes`,
        firstSeenAt: sql`least(first_seen_at, (select first_seen_at from contacts where id = ${otherId}))`,
        lastSeenAt: sql`greatest(last_seen_at, (select last_seen_at from contacts where id = ${otherId}))`,
        // What the kept contact does not know yet (its email, phone, CRM fields) it takes from the other.
        ...fillFromOther(otherId),
        updatedAt: ctx.clock.now(),
      })
      .where('id', '=', keptId)
      .execute()
    await trx.updateTable('contacts').set({ mergedInto: keptId, updatedAt: ctx.clock.now() }).where('id', '=', otherId).execute()
    const merge = await trx
      .insertInto('contactMerges')
      .values({
        keptContactId: keptId,
        mergedContactId: otherId,
        identityIds,
        conversationIds,
        messageIds,
        noteIds,
        keptBefore: JSON.stringify(keptBefore),
        mergedBy: actor.userId,
        mergedAt: ctx.clock.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, { action: 'contact.merged', actor, target: { type: 'contact', id: keptId }, details: { merged: otherId, mergeId: merge.id } })
    await recordChanges(trx, [
      {
        type: 'contact.merged',
        contactId: keptId,
        actor: changeActor(actor),
        data: { survivorId: keptId, mergedIds: [otherId], movedIdentities: identityIds },
      },
    ])
    await recordCustomerConversations(trx, [keptId, otherId], changeActor(actor))
  })
  return panel(ctx, identity, keptId)
}

export async function undoMerge(ctx: AppContext, identity: Identity, actor: Actor, keptId: string, mergeId: string): Promise<CustomerPanel> {
  await assertContactVisible(ctx.db, identity, keptId)
  await ctx.db.transaction().execute(async (trx) => {
    const merge = await trx
      .selectFrom('contactMerges')
      .selectAll()
      .where('id', '=', mergeId)
      .where('keptContactId', '=', keptId)
      .where('undoneAt', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!merge) throw new AppError('not_found', 'No such merge to undo.')
    const back = merge.mergedContactId
    if (merge.identityIds.length > 0) await trx.updateTable('contactIdentities').set({ contactId: back }).where('id', 'in', merge.identityIds).execute()
    if (merge.conversationIds.length > 0) await trx.updateTable('conversations').set({ contactId: back }).where('id', 'in', merge.conversationIds).execute()
    if (merge.messageIds.length > 0) await trx.updateTable('messages').set({ authorContactId: back }).where('id', 'in', merge.messageIds).execute()
    if (merge.noteIds.length > 0) await trx.updateTable('contactNotes').set({ contactId: back }).where('id', 'in', merge.noteIds).execute()
    await trx.updateTable('contacts').set({ mergedInto: null, updatedAt: ctx.clock.now() }).where('id', '=', back).execute()
    const before = merge.keptBefore as { tags: string[]; attributes: Record<string, string>; firstSeenAt: string; lastSeenAt: string } & KeptCrm
    await trx
      .updateTable('contacts')
      .set({
        tags: before.tags,
        attributes: JSON.stringify(before.attributes),
        firstSeenAt: new Date(before.firstSeenAt),
        lastSeenAt: new Date(before.lastSeenAt),
        ...crmBefore(before, back),
        updatedAt: ctx.clock.now(),
      })
      .where('id', '=', keptId)
      .execute()
    await trx.updateTable('contactMerges').set({ undoneAt: ctx.clock.now() }).where('id', '=', mergeId).execute()
    await recordAudit(trx, { action: 'contact.merge_undone', actor, target: { type: 'contact', id: keptId }, details: { restored: back, mergeId } })
    await recordChanges(trx, [{ type: 'contact.updated', contactId: keptId, actor: changeActor(actor), data: { changed: ['merge_undone'], restoredId: back } }])
    await recordCustomerConversations(trx, [keptId, back], changeActor(actor))
  })
  return panel(ctx, identity, keptId)
}
