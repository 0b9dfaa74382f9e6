import type { Database } from '../db/client.js'

export interface ConversionsRow {
  channelId: string
  datasetId: string
  /** Sealed with the channels' secret box; null: the channel's own access token. */
  accessTokenCiphertext: string | null
}

/** A channel's Conversions API settings; undefined when it sends no outcomes. */
export function findChannelConversions(db: Database, channelId: string): Promise<ConversionsRow | undefined> {
  return db.selectFrom('channelConversions').select(['channelId', 'datasetId', 'accessTokenCiphertext']).where('channelId', '=', channelId).executeTakeFirst()
}

/** Sets the dataset; `accessTokenCiphertext` undefined keeps the token set, null forgets it. */
export async function upsertChannelConversions(
  db: Database,
  channelId: string,
  settings: { datasetId: string; accessTokenCiphertext: string | null | undefined },
  at: Date,
): Promise<void> {
  await db
    .insertInto('channelConversions')
    .values({ channelId, datasetId: settings.datasetId, accessTokenCiphertext: settings.accessTokenCiphertext ?? null, updatedAt: at })
    .onConflict((oc) =>
      oc.column('channelId').doUpdateSet({
        datasetId: settings.datasetId,
        updatedAt: at,
        ...(settings.accessTokenCiphertext !== undefined && { accessTokenCiphertext: settings.accessTokenCiphertext }),
      }),
    )
    .execute()
}

export async function deleteChannelConversions(db: Database, channelId: string): Promise<void> {
  await db.deleteFrom('channelConversions').where('channelId', '=', channelId).execute()
}
