import { renderCannedReply } from '@carebox/shared'
import { describe, expect, it } from 'vitest'

const values = { customerName: 'Lucía Fernández', agentName: 'Alex Agent', channelName: 'Acme on WhatsApp' }

describe('renderCannedReply', () => {
  it('fills every variable', () => {
    expect(
      renderCannedReply('Hi {{customer.first_name}}, {{agent.first_name}} here ({{agent.name}}) on {{channel.name}} for {{ customer.name }}.', values),
    ).toBe('Hi Lucía, Alex here (Alex Agent) on Acme on WhatsApp for Lucía Fernández.')
  })

  it('drops an unknown name with the space before it, so the greeting still reads', () => {
    expect(renderCannedReply('Hi {{customer.first_name}}, thanks!', { ...values, customerName: null })).toBe('Hi, thanks!')
  })

  it('leaves an unknown variable as written, so the typo shows before sending', () => {
    expect(renderCannedReply('Hi {{customer.frist_name}}', values)).toBe('Hi {{customer.frist_name}}')
  })

  it('treats customer text as text: markup in a name stays literal', () => {
    expect(renderCannedReply('Hi {{customer.name}}', { ...values, customerName: '<img src=x onerror=alert(1)>' })).toBe('Hi <img src=x onerror=alert(1)>')
  })
})
