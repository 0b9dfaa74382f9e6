/**
 * Reading a WhatsApp Business Account's message templates from the Graph API (specs/outreach.md §1.1): every page,
 * following `paging.cursors.after` while the answer says there is a `next`.
 */
import type { ChannelRuntime } from '../connector.js'
import { ConnectorError } from '../connector.js'
import { apiUrl, graphGet } from './meta.graph.js'
import { isRecord, readId } from './meta.payloads.js'

/** One template as the Graph API lists it, reduced to what Carebox stores. */
export interface ListedTemplate {
  externalId: string
  name: string
  language: string
  category: string
  status: string
  parameterFormat: 'POSITIONAL' | 'NAMED'
  components: unknown[]
  reason: string | null
  qualityScore: string | null
}

const fields = 'id,name,language,status,category,parameter_format,components,rejected_reason,quality_score'
/** A business account has at most a few hundred templates; past this many pages something is wrong. */
const maxPages = 50

export async function fetchWhatsAppTemplates(channel: ChannelRuntime, businessAccountId: string): Promise<ListedTemplate[]> {
  const templates: ListedTemplate[] = []
  let after: string | undefined
  for (let page = 0; page < maxPages; page++) {
    const url = new URL(apiUrl(channel.config.apiBaseUrl, businessAccountId, 'message_templates'))
    url.searchParams.set('fields', fields)
    url.searchParams.set('limit', '100')
    if (after) url.searchParams.set('after', after)
    const body = await graphGet(url.toString(), channel.secrets.accessToken, 'WhatsApp')
    for (const item of Array.isArray(body.data) ? body.data : []) {
      const template = readTemplate(item)
      if (template) templates.push(template)
    }
    const paging = isRecord(body.paging) ? body.paging : {}
    const cursors = isRecord(paging.cursors) ? paging.cursors : {}
    after = typeof cursors.after === 'string' && paging.next ? cursors.after : undefined
    if (!after) return templates
  }
  throw new ConnectorError(`WhatsApp listed more than ${maxPages} pages of templates`, { retryable: false })
}

function readTemplate(item: unknown): ListedTemplate | undefined {
  if (!isRecord(item)) return undefined
  const externalId = readId(item.id)
  if (!externalId || typeof item.name !== 'string' || typeof item.language !== 'string') return undefined
  const quality = isRecord(item.quality_score) ? item.quality_score.score : item.quality_score
  return {
    externalId,
    name: item.name,
    language: item.language,
    category: typeof item.category === 'string' ? item.category : 'UTILITY',
    status: typeof item.status === 'string' ? item.status : 'PENDING',
    parameterFormat: item.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components: Array.isArray(item.components) ? item.components : [],
    reason: typeof item.rejected_reason === 'string' && item.rejected_reason !== 'NONE' ? item.rejected_reason : null,
    qualityScore: typeof quality === 'string' ? quality : null,
  }
}
