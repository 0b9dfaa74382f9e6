import type { WhatsAppTemplate } from '@carebox/shared'
import { sql, type Selectable } from 'kysely'
import type { Database } from '../db/client.js'
import type { WhatsappTemplates } from '../db/database.gen.js'
import type { ListedTemplate } from '../channels/meta/whatsapp.templates.js'
import { readComponents } from './template-components.js'

type TemplateRow = Selectable<WhatsappTemplates>

export function toTemplate(row: TemplateRow): WhatsAppTemplate {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    language: row.language,
    category: row.category,
    status: row.status,
    parameterFormat: row.parameterFormat as WhatsAppTemplate['parameterFormat'],
    ...readComponents(row.components),
    reason: row.reason,
    qualityScore: row.qualityScore,
    updatedAt: row.updatedAt.toISOString(),
  }
}

/**
 * Replaces an account's list with what the platform listed just now: new templates added, the others updated,
 * and those no longer listed (deleted on the platform) removed.
 */
export async function replaceTemplates(db: Database, businessAccountId: string, templates: ListedTemplate[], at: Date): Promise<void> {
  if (templates.length > 0) {
    await db
      .insertInto('whatsappTemplates')
      .values(
        templates.map((t) => ({
          businessAccountId,
          externalId: t.externalId,
          name: t.name,
          language: t.language,
          category: t.category,
          status: t.status,
          parameterFormat: t.parameterFormat,
          components: JSON.stringify(t.components),
          reason: t.reason,
          qualityScore: t.qualityScore,
          syncedAt: at,
          updatedAt: at,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['businessAccountId', 'externalId']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          language: eb.ref('excluded.language'),
          category: eb.ref('excluded.category'),
          status: eb.ref('excluded.status'),
          parameterFormat: eb.ref('excluded.parameterFormat'),
          components: eb.ref('excluded.components'),
          reason: eb.ref('excluded.reason'),
          qualityScore: eb.ref('excluded.qualityScore'),
          syncedAt: eb.ref('excluded.syncedAt'),
          updatedAt: eb.ref('excluded.updatedAt'),
        })),
      )
      .execute()
  }
  await db
    .deleteFrom('whatsappTemplates')
    .where('businessAccountId', '=', businessAccountId)
    .$if(templates.length > 0, (q) =>
      q.where(
        'externalId',
        'not in',
        templates.map((t) => t.externalId),
      ),
    )
    .execute()
  await sql`
    insert into whatsapp_template_syncs (business_account_id, synced_at) values (${businessAccountId}, ${at})
    on conflict (business_account_id) do update set synced_at = excluded.synced_at`.execute(db)
}

export async function listTemplates(db: Database, businessAccountId: string): Promise<{ items: WhatsAppTemplate[]; syncedAt: Date | null }> {
  const rows = await db
    .selectFrom('whatsappTemplates')
    .selectAll()
    .where('businessAccountId', '=', businessAccountId)
    .orderBy('name')
    .orderBy('language')
    .execute()
  const sync = await db.selectFrom('whatsappTemplateSyncs').select('syncedAt').where('businessAccountId', '=', businessAccountId).executeTakeFirst()
  return { items: rows.map(toTemplate), syncedAt: sync?.syncedAt ?? null }
}

export async function findTemplate(db: Database, id: string): Promise<(WhatsAppTemplate & { businessAccountId: string; components: unknown }) | undefined> {
  const row = await db.selectFrom('whatsappTemplates').selectAll().where('id', '=', id).executeTakeFirst()
  return row ? { ...toTemplate(row), businessAccountId: row.businessAccountId, components: row.components } : undefined
}

/** A status webhook: the template's new status and Meta's reason. A template never listed yet is left to the next sync. */
export async function applyTemplateStatus(
  db: Database,
  change: { businessAccountId: string; templateId: string; status: string; reason: string | null; at: Date },
): Promise<boolean> {
  const rows = await db
    .updateTable('whatsappTemplates')
    .set({ status: change.status, reason: change.reason, updatedAt: change.at })
    .where('businessAccountId', '=', change.businessAccountId)
    .where('externalId', '=', change.templateId)
    // A late retry of an older change, or one older than the last refresh, does not undo what came after it.
    .where('updatedAt', '<=', change.at)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** The WhatsApp channels that send from a business account: who hears that its templates changed. */
export async function channelsOfAccount(db: Database, businessAccountId: string): Promise<{ id: string; teamId: string }[]> {
  return db
    .selectFrom('channels')
    .select(['id', 'teamId'])
    .where('kind', '=', 'whatsapp')
    .where(sql<string>`config->>'businessAccountId'`, '=', businessAccountId)
    .execute()
}
