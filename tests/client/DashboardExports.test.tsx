import { render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversationPane } from '../../client/src/features/conversation/ConversationPane'
import { exportCsvUrl, parseReportQuery, reportSearch } from '../../client/src/features/dashboard/report-query'
import { useStore } from '../../client/src/store/store'
import { arrangeOpenConversation, conversationId } from './conversation-fixtures'
import { fakeApi, sessionOf } from './fake-api'
import { mayaId, whatsappId } from './report-fixtures'

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
})

describe('exports', () => {
  it('links an agent to the conversation’s transcript from its header', async () => {
    useStore.getState().startSession(sessionOf('agent'))
    arrangeOpenConversation(api)

    render(<ConversationPane />)

    const link = await screen.findByRole('link', { name: 'Transcript' })
    expect(link).toHaveAttribute('href', `/api/conversations/${conversationId}/transcript`)
    expect(link).toHaveAttribute('download')
  })

  it('exports the CSV of a custom period with its filters, in the order requests carry them', () => {
    const query = { tag: 'refund', channelId: whatsappId, to: '2026-03-07', from: '2026-03-01', period: 'custom' } as const

    expect(exportCsvUrl(query)).toBe(`/api/reports/export.csv?period=custom&from=2026-03-01&to=2026-03-07&channelId=${whatsappId}&tag=refund`)
  })
})

describe('parseReportQuery', () => {
  it('reads back what reportSearch writes', () => {
    const query = { period: '30d', channelId: whatsappId, agentId: mayaId } as const

    expect(parseReportQuery(reportSearch(query))).toEqual(query)
  })

  it('names nothing when the address carries no report filters', () => {
    expect(parseReportQuery('')).toBeNull()
    expect(parseReportQuery('?utm_source=mail')).toBeNull()
  })

  it('leaves out what makes no sense rather than refusing the link', () => {
    expect(parseReportQuery('?period=year&channelId=not-an-id')).toEqual({ period: '7d' })
    expect(parseReportQuery('?period=custom&from=2026-03-09&to=2026-03-01')).toEqual({ period: '7d' })
    expect(parseReportQuery(`?period=7d&agentId=${mayaId}&tag=refund`)).toEqual({ period: '7d', agentId: mayaId })
  })
})
