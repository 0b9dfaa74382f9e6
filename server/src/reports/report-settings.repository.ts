import { defaultCostSettings, defaultSurgeSettings, type ReportSettings } from '@carebox/shared'
import { sql } from 'kysely'
import type { Database } from '../db/client.js'

/** The workspace's cost inputs and surge thresholds; the defaults until someone saves their own. */
export async function loadReportSettings(db: Database): Promise<ReportSettings> {
  const row = await db.selectFrom('reportSettings').select(['cost', 'surge']).executeTakeFirst()
  // Saved settings are merged over the defaults: an input added later starts at its default.
  return {
    cost: { ...defaultCostSettings, ...((row?.cost as object | undefined) ?? {}) },
    surge: { ...defaultSurgeSettings, ...((row?.surge as object | undefined) ?? {}) },
  }
}

export async function saveReportSettings(db: Database, settings: ReportSettings, now: Date): Promise<void> {
  await sql`
    insert into report_settings (id, cost, surge, updated_at) values (true, ${JSON.stringify(settings.cost)}::jsonb, ${JSON.stringify(settings.surge)}::jsonb, ${now})
    on conflict (id) do update set cost = excluded.cost, surge = excluded.surge, updated_at = excluded.updated_at`.execute(db)
}
