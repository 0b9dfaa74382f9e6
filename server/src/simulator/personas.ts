import { blueskyDid, stableNumericId } from './ids.js'
import type { SimKind } from './types.js'

/** The demo's cast: customers with a language, favourite channels and a story told over several messages. */

export type Language = 'en' | 'zh' | 'ru' | 'cs' | 'ja' | 'es'
export type Topic = 'late-parcel' | 'refund' | 'broken-item' | 'login' | 'billing' | 'praise'

export interface Persona {
  key: string
  name: string
  language: Language
  /** Preferred channels, home channel first; a returning customer sometimes switches to the next one. */
  channels: SimKind[]
  /** The story, told topic by topic, line by line. */
  topics: Topic[]
  username: string
}

export const personas: Persona[] = [
  { key: 'emma', name: 'Emma Clarke', language: 'en', channels: ['facebook', 'instagram'], topics: ['late-parcel', 'praise'], username: 'emma.clarke' },
  { key: 'liam', name: "Liam O'Brien", language: 'en', channels: ['x', 'mastodon'], topics: ['login', 'billing'], username: 'liamob' },
  { key: 'priya', name: 'Priya Nair', language: 'en', channels: ['whatsapp', 'telegram'], topics: ['refund', 'praise'], username: 'priya_nair' },
  { key: 'noah', name: 'Noah Becker', language: 'en', channels: ['bluesky', 'mastodon'], topics: ['broken-item'], username: 'noahb' },
  { key: 'wangfang', name: '王芳', language: 'zh', channels: ['whatsapp', 'telegram'], topics: ['late-parcel', 'billing'], username: 'wangfang88' },
  { key: 'liwei', name: '李伟', language: 'zh', channels: ['x', 'bluesky'], topics: ['login'], username: 'liwei_sh' },
  { key: 'olga', name: 'Ольга Смирнова', language: 'ru', channels: ['telegram', 'whatsapp'], topics: ['broken-item', 'praise'], username: 'olga_smirnova' },
  { key: 'dmitry', name: 'Дмитрий Иванов', language: 'ru', channels: ['telegram', 'mastodon'], topics: ['billing'], username: 'divanov' },
  { key: 'tereza', name: 'Tereza Nováková', language: 'cs', channels: ['facebook', 'mastodon'], topics: ['refund'], username: 'tereza.novakova' },
  { key: 'jakub', name: 'Jakub Dvořák', language: 'cs', channels: ['instagram', 'bluesky'], topics: ['late-parcel'], username: 'jakub.dvorak' },
  { key: 'yumi', name: '佐藤 由美', language: 'ja', channels: ['x', 'instagram'], topics: ['broken-item', 'praise'], username: 'yumi_sato' },
  { key: 'ken', name: '田中 健', language: 'ja', channels: ['bluesky', 'x'], topics: ['login', 'billing'], username: 'ken_tanaka' },
  { key: 'lucia', name: 'Lucía Fernández', language: 'es', channels: ['whatsapp', 'facebook'], topics: ['billing', 'praise'], username: 'lucia.fdz' },
  { key: 'mateo', name: 'Mateo García', language: 'es', channels: ['instagram', 'telegram'], topics: ['late-parcel', 'refund'], username: 'mateo.garcia' },
]

const phoneCountryCodes: Record<Language, string> = { en: '44', zh: '86', ru: '7', cs: '420', ja: '81', es: '34' }
const mastodonInstances: Record<Language, string> = {
  en: 'mastodon.social',
  zh: 'm.cmx.im',
  ru: 'mastodon.ml',
  cs: 'mastodonczech.cz',
  ja: 'mstdn.jp',
  es: 'mastodon.world',
}

/** Who the persona is on one platform: a stable platform-shaped id and handle, the same in every run. */
export function personaIdentity(persona: Persona, kind: SimKind): { id: string; handle?: string } {
  switch (kind) {
    case 'facebook':
      return { id: stableNumericId(`psid:${persona.key}`, 16, '6') }
    case 'instagram':
      return { id: stableNumericId(`igsid:${persona.key}`, 16, '1'), handle: persona.username }
    case 'whatsapp':
      return { id: stableNumericId(`phone:${persona.key}`, 11 + phoneCountryCodes[persona.language].length - 1, phoneCountryCodes[persona.language]) }
    case 'telegram':
      return { id: stableNumericId(`telegram:${persona.key}`, 10, '5'), handle: persona.username.replace(/\./g, '_') }
    case 'x':
      return { id: stableNumericId(`x:${persona.key}`, 18, '1'), handle: persona.username.replace(/\./g, '_').slice(0, 15) }
    case 'mastodon':
      return {
        id: stableNumericId(`mastodon:${persona.key}`, 18, '1'),
        handle: `${persona.username.replace(/\./g, '_')}@${mastodonInstances[persona.language]}`,
      }
    case 'bluesky':
      return { id: blueskyDid(persona.key), handle: `${persona.username.replace(/_/g, '-')}.bsky.social` }
  }
}

/** What each topic sounds like in each language: an opening, a follow-up, and how it ends. */
export const phrases: Record<Language, Record<Topic, string[]>> = {
  en: {
    'late-parcel': [
      "Hi, my order #48213 was supposed to arrive on Monday and it's still not here. Tracking hasn't updated in four days.",
      'Any news on my parcel? Still nothing in the tracking.',
      'It finally arrived this morning, thanks for chasing the courier!',
    ],
    refund: [
      "I returned the jacket two weeks ago and still haven't seen the refund. Order 55102.",
      'Following up on my refund: the return was delivered to you on the 3rd.',
      'The refund showed up on my card today. Thanks.',
    ],
    'broken-item': [
      'The blender arrived with a cracked jug 😞 Can you send a replacement?',
      "Here's a photo of the damage. The box looked fine from the outside.",
      'Replacement arrived in one piece, much appreciated!',
    ],
    login: [
      "I can't log into the app, it keeps saying my password is wrong even after resetting it.",
      'Tried the reset link again, now it says the link has expired.',
      "That worked, I'm back in. Thank you!",
    ],
    billing: [
      'Why was I charged twice for my subscription this month?',
      'Both charges are still on my statement, can someone look at this please?',
      'I can see the reversal now, all good.',
    ],
    praise: ['Just wanted to say your support team was amazing yesterday. Thank you!', 'Ordered again because of how well you handled my last issue 🙌'],
  },
  zh: {
    'late-parcel': [
      '你好，我的订单 48213 本来周一就该到的，现在还没收到，物流信息四天没更新了。',
      '请问我的包裹有消息了吗？物流还是没动。',
      '今天早上终于收到了，谢谢你们帮忙催快递！',
    ],
    refund: ['我两周前就把外套退回去了，到现在还没收到退款。订单号 55102。', '想问一下退款的进度，退货三号就已经签收了。', '退款今天到账了，谢谢。'],
    'broken-item': ['收到的搅拌机杯子是裂的 😞 能给我换一个吗？', '这是破损的照片，外包装看起来是好的。', '换的新机器完好无损，非常感谢！'],
    login: ['我登录不了 App，重置密码以后还是提示密码错误。', '用重置链接又试了一次，现在提示链接已过期。', '可以了，已经登录上了，谢谢！'],
    billing: ['这个月的订阅为什么扣了我两次钱？', '账单上还是有两笔扣款，麻烦帮我看一下。', '看到退回的款项了，没问题了。'],
    praise: ['昨天你们客服真的太棒了，谢谢！', '因为上次处理得很好，我又下单了 🙌'],
  },
  ru: {
    'late-parcel': [
      'Здравствуйте! Мой заказ 48213 должен был прийти в понедельник, но его до сих пор нет. Трекинг не обновлялся четыре дня.',
      'Есть новости по посылке? В отслеживании всё то же самое.',
      'Сегодня утром посылка наконец пришла, спасибо, что поторопили курьера!',
    ],
    refund: [
      'Куртку вернули вам две недели назад, а деньги так и не пришли. Заказ 55102.',
      'Напоминаю про возврат: вы получили посылку ещё третьего числа.',
      'Деньги пришли на карту, спасибо.',
    ],
    'broken-item': [
      'Блендер пришёл с треснувшей чашей 😞 Можно прислать замену?',
      'Вот фото повреждения. Коробка снаружи была целая.',
      'Замена пришла целой, большое спасибо!',
    ],
    login: [
      'Не могу войти в приложение: пишет, что пароль неверный, даже после сброса.',
      'Ссылка для сброса теперь пишет, что срок её действия истёк.',
      'Получилось, я снова в аккаунте. Спасибо!',
    ],
    billing: [
      'Почему с меня дважды списали деньги за подписку в этом месяце?',
      'Оба списания всё ещё в выписке, посмотрите, пожалуйста.',
      'Вижу возврат, теперь всё в порядке.',
    ],
    praise: ['Хочу сказать спасибо вашей поддержке: вчера очень выручили!', 'Снова заказываю у вас, потому что прошлую проблему вы решили отлично 🙌'],
  },
  cs: {
    'late-parcel': [
      'Dobrý den, moje objednávka 48213 měla dorazit v pondělí a pořád nic. Sledování se čtyři dny neaktualizovalo.',
      'Máte nějaké novinky k mému balíku? Ve sledování pořád nic.',
      'Balík dnes ráno konečně dorazil, díky, že jste popohnali kurýra!',
    ],
    refund: [
      'Bundu jsme vám vrátili před dvěma týdny a peníze pořád nemám. Objednávka 55102.',
      'Připomínám se ohledně vrácení peněz: zásilku jste převzali už třetího.',
      'Peníze mi dnes přišly na kartu. Děkuji.',
    ],
    'broken-item': [
      'Mixér dorazil s prasklou nádobou 😞 Můžete poslat náhradu?',
      'Posílám fotku poškození. Krabice zvenku vypadala v pořádku.',
      'Náhrada dorazila celá, moc děkuji!',
    ],
    login: [
      'Nemůžu se přihlásit do aplikace, pořád píše špatné heslo, i po resetu.',
      'Odkaz na reset teď píše, že vypršel.',
      'Funguje to, přihlášení už jde. Díky!',
    ],
    billing: [
      'Proč mi tento měsíc strhli předplatné dvakrát?',
      'Obě platby jsou pořád na výpisu, můžete se na to prosím podívat?',
      'Vidím vrácenou platbu, už je vše v pořádku.',
    ],
    praise: ['Jen chci poděkovat, vaše podpora mi včera moc pomohla!', 'Znovu objednávám, protože jste minulý problém vyřešili skvěle 🙌'],
  },
  ja: {
    'late-parcel': [
      'こんにちは。注文番号48213の荷物が月曜日に届く予定でしたが、まだ届いていません。追跡情報も4日間更新されていません。',
      '荷物の件、何か進展はありましたか？追跡はまだ変わっていません。',
      '今朝やっと届きました。配送業者に確認していただきありがとうございました！',
    ],
    refund: [
      '2週間前にジャケットを返品しましたが、まだ返金されていません。注文番号は55102です。',
      '返金の件で再度ご連絡します。返品は3日に到着済みのはずです。',
      '本日カードに返金が反映されました。ありがとうございます。',
    ],
    'broken-item': [
      '届いたミキサーの容器が割れていました😞 交換していただけますか？',
      '破損部分の写真を送ります。外箱はきれいな状態でした。',
      '交換品が無事に届きました。本当に助かりました！',
    ],
    login: [
      'アプリにログインできません。パスワードを再設定しても「パスワードが違います」と表示されます。',
      '再設定リンクをもう一度試したら、今度は「リンクの有効期限が切れています」と出ました。',
      'ログインできました。ありがとうございます！',
    ],
    billing: [
      '今月のサブスクリプションが二重に請求されているのはなぜですか？',
      '明細にまだ2件とも残っています。確認していただけますか？',
      '返金を確認しました。解決しました。',
    ],
    praise: ['昨日のサポートの対応が本当に素晴らしかったです。ありがとうございました！', '前回の対応がとても良かったので、また注文しました🙌'],
  },
  es: {
    'late-parcel': [
      'Hola, mi pedido 48213 tenía que llegar el lunes y todavía no ha llegado. El seguimiento no se actualiza desde hace cuatro días.',
      '¿Hay novedades de mi paquete? El seguimiento sigue igual.',
      '¡Por fin llegó esta mañana, gracias por insistir con la mensajería!',
    ],
    refund: [
      'Devolví la chaqueta hace dos semanas y todavía no tengo el reembolso. Pedido 55102.',
      'Vuelvo a escribir por el reembolso: la devolución os llegó el día 3.',
      'Hoy ya tengo el reembolso en la tarjeta. Gracias.',
    ],
    'broken-item': [
      'La batidora llegó con el vaso roto 😞 ¿Me podéis mandar otra?',
      'Os paso una foto del daño. La caja por fuera estaba bien.',
      'La nueva llegó perfecta, ¡mil gracias!',
    ],
    login: [
      'No puedo entrar en la app, me dice que la contraseña es incorrecta aunque la he cambiado.',
      'He vuelto a probar el enlace para restablecerla y ahora dice que ha caducado.',
      'Ya funciona, he podido entrar. ¡Gracias!',
    ],
    billing: [
      '¿Por qué me habéis cobrado dos veces la suscripción este mes?',
      'Los dos cargos siguen en el extracto, ¿lo podéis revisar, por favor?',
      'Ya veo la devolución, todo bien.',
    ],
    praise: [
      'Solo quería decir que vuestro equipo de atención estuvo genial ayer. ¡Gracias!',
      'He vuelto a comprar por lo bien que resolvisteis mi último problema 🙌',
    ],
  },
}

/** After a launch goes wrong: what a burst of unhappy customers writes within a minute. */
export const launchComplaints: Record<Language, string[]> = {
  en: [
    'Since the 5.0 update the app crashes every time I open it.',
    "The new checkout is broken, I can't pay at all!",
    'The update wiped my saved addresses. Seriously?',
  ],
  zh: ['更新到 5.0 之后，App 一打开就闪退。', '新的结账页面坏了，根本付不了款！', '更新之后我保存的地址全没了，怎么回事？'],
  ru: [
    'После обновления 5.0 приложение вылетает при каждом запуске.',
    'Новая оплата сломана, вообще не могу заплатить!',
    'Обновление стёрло все мои сохранённые адреса. Серьёзно?',
  ],
  cs: [
    'Od aktualizace 5.0 aplikace při každém spuštění spadne.',
    'Nová pokladna nefunguje, vůbec nejde zaplatit!',
    'Aktualizace smazala všechny moje uložené adresy. Vážně?',
  ],
  ja: [
    '5.0にアップデートしてから、アプリを開くたびに落ちます。',
    '新しい決済画面が壊れていて、支払いが全くできません！',
    'アップデートで保存していた住所が全部消えました。ひどいです。',
  ],
  es: [
    'Desde la actualización 5.0 la app se cierra cada vez que la abro.',
    'El nuevo pago no funciona, ¡no hay manera de pagar!',
    'La actualización ha borrado todas mis direcciones guardadas. ¿En serio?',
  ],
}

/** The second line of a broken-item story comes with a photo. */
export function hasPhoto(topic: Topic, lineIndex: number): boolean {
  return topic === 'broken-item' && lineIndex === 1
}

/**
 * How some of the cast first reach us: from an ad or a link (integrations spec §4), so the demo's conversations show
 * where they came from and the dashboard has campaigns to compare. `beforeWriting`: the customer opens the thread
 * from an m.me / ig.me link and the referral arrives on its own, before their first message (Messenger and
 * Instagram); otherwise it rides on the first message, as a click-to-Messenger, -Direct or -WhatsApp ad's does.
 */
export interface PersonaArrival {
  channel: SimKind
  beforeWriting?: boolean
  /** The referral object as Meta sends it. */
  referral: Record<string, unknown>
}

const springSaleAd = {
  source: 'ADS',
  type: 'OPEN_THREAD',
  ref: 'spring-sale',
  ad_id: '120226305854810726',
  ads_context_data: { ad_title: 'Spring sale: 20% off kitchen gear' },
}

export const personaArrivals: Record<string, PersonaArrival> = {
  emma: { channel: 'facebook', referral: springSaleAd },
  tereza: { channel: 'facebook', beforeWriting: true, referral: { source: 'SHORTLINK', type: 'OPEN_THREAD', ref: 'qr-store-prague' } },
  jakub: { channel: 'instagram', beforeWriting: true, referral: { source: 'IGME-SOURCE-LINK', type: 'OPEN_THREAD', ref: 'bio-link' } },
  mateo: {
    channel: 'instagram',
    referral: {
      source: 'ADS',
      type: 'OPEN_THREAD',
      ad_id: '120226305854810999',
      ads_context_data: { ad_title: 'Blenders, shipped worldwide' },
    },
  },
  priya: {
    channel: 'whatsapp',
    referral: {
      source_url: 'https://fb.me/acme-free-returns',
      source_id: '120226305854811111',
      source_type: 'ad',
      headline: 'Free returns in May',
      body: 'Chat with us about any order',
      media_type: 'image',
      ctwa_clid: `ARAk${stableNumericId('ctwa:priya', 24)}`,
    },
  },
  lucia: {
    channel: 'whatsapp',
    referral: {
      source_url: 'https://fb.me/acme-spring',
      source_id: '120226305854810726',
      source_type: 'ad',
      headline: 'Spring sale: 20% off kitchen gear',
      media_type: 'image',
      ctwa_clid: `ARAk${stableNumericId('ctwa:lucia', 24)}`,
    },
  },
}
