import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { beforeEach, describe, expect, it } from 'vitest'
import { ConversionsSettings } from '../../client/src/features/conversation/ConversionsSettings'
import { useStore } from '../../client/src/store/store'
import { fakeApi, sessionOf } from './fake-api'

const channelId = '5c2e1f00-0000-4000-8000-00000000c009'
const url = `/api/channels/${channelId}/conversions`

let api: ReturnType<typeof fakeApi>

beforeEach(() => {
  api = fakeApi()
  useStore.getState().startSession(sessionOf('admin'))
})

describe('ConversionsSettings', { timeout: 20_000 }, () => {
  it('shows the dataset set, and saves a new one with a token without ever showing the token', async () => {
    api.on('GET', url, [200, { channelId, datasetId: '111', hasAccessToken: true }])
    api.on('PUT', url, ({ body }) => [200, { channelId, datasetId: (body as { datasetId: string }).datasetId, hasAccessToken: true }])
    render(<ConversionsSettings channelId={channelId} kind="whatsapp" />)

    const dataset = screen.getByLabelText('Dataset id')
    await waitFor(() => expect(dataset).toHaveValue('111'))
    expect(screen.getByLabelText('Conversions API token')).toHaveAttribute('placeholder', 'Set (leave blank to keep)')
    await userEvent.clear(dataset)
    await userEvent.type(dataset, '222')
    await userEvent.type(screen.getByLabelText('Conversions API token'), 'capi-token')
    await userEvent.click(screen.getByRole('button', { name: 'Save Conversions API settings' }))

    expect(await screen.findByRole('status')).toHaveTextContent('Outcomes will be sent to Meta.')
    expect(api.requests('PUT', url).map((request) => request.body)).toEqual([{ datasetId: '222', accessToken: 'capi-token' }])
    expect(screen.getByLabelText('Conversions API token')).toHaveValue('')
  })

  it('says a dataset id is digits only, and sends nothing', async () => {
    api.on('GET', url, [200, { channelId, datasetId: null, hasAccessToken: false }])
    render(<ConversionsSettings channelId={channelId} kind="facebook" />)

    await userEvent.type(screen.getByLabelText('Dataset id'), 'abc')
    await userEvent.click(screen.getByRole('button', { name: 'Save Conversions API settings' }))

    expect(screen.getByRole('alert')).toHaveTextContent('The dataset id is digits only, as Events Manager shows it.')
    expect(api.requests('PUT', url)).toEqual([])
  })

  it('is not offered for platforms Meta does not measure', () => {
    const { container } = render(<ConversionsSettings channelId={channelId} kind="telegram" />)

    expect(container).toBeEmptyDOMElement()
    expect(api.requests('GET', url)).toEqual([])
  })
})
