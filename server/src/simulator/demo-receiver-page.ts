import type { ReceivedWebhook } from './demo-receiver.js'

/** Escapes text for HTML: ids, types and reasons come from whoever posted to the receiver. */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function timeOf(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

function rowOf(entry: ReceivedWebhook): string {
  const signature = entry.isVerified
    ? `<span class="ok">Verified</span>${entry.isRepeat ? ' <span class="muted">(received before: a retry or a replay)</span>' : ''}`
    : `<span class="bad">Rejected</span>: ${escape(entry.problem ?? '')}`
  return `<tr>
<td>${escape(timeOf(entry.receivedAt))}</td>
<td>${entry.type ? escape(entry.type) : '<span class="muted">none</span>'}</td>
<td><code>${entry.id ? escape(entry.id) : 'missing'}</code></td>
<td>${signature}</td>
</tr>`
}

/**
 * The receiver's page: what arrived, newest first, and whether each signature held. A plain page that reloads
 * itself every 5 seconds, so it needs no script.
 */
export function demoReceiverPageHtml(received: readonly ReceivedWebhook[]): string {
  const verified = received.filter((entry) => entry.isVerified).length
  const summary =
    received.length === 0
      ? 'Nothing received yet. In Carebox, open Settings → Integrations and press “Send test event” on the demo’s endpoint.'
      : `The last ${received.length} deliveries (at most 100 are kept): ${verified} verified, ${received.length - verified} rejected.`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>Carebox demo: example webhook receiver</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1d2433;line-height:1.45}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e3e7ee;vertical-align:top;overflow-wrap:anywhere}
th{color:#5b6577;font-weight:600}code{font-size:13px}.ok{color:#17663a;font-weight:600}.bad{color:#b42318;font-weight:600}.muted{color:#5b6577}
@media (max-width:600px){thead{display:none}tr{display:block;border-bottom:1px solid #e3e7ee;padding:.4rem 0}td{display:block;border:0;padding:.1rem 0}}
</style></head>
<body>
<h1>Example webhook receiver</h1>
<p>This receiver plays your own system: Carebox sends it every event as a signed POST (Standard Webhooks), and it
checks each signature with the <code>standardwebhooks</code> library and the endpoint’s secret, on the raw body,
before trusting anything in it: <code>new Webhook(secret).verify(rawBody, headers)</code>. A delivery whose
signature does not hold is answered 400, which Carebox’s delivery log shows with the reason.</p>
<p>${escape(summary)}</p>
${
  received.length === 0
    ? ''
    : `<table>
<thead><tr><th scope="col">Received</th><th scope="col">Event type</th><th scope="col">webhook-id</th><th scope="col">Signature</th></tr></thead>
<tbody>
${received.map(rowOf).join('\n')}
</tbody>
</table>`
}
</body></html>`
}
