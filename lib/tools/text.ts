/**
 * What the assistant says, in the customer's language: the summaries a confirmation shows, the
 * questions it asks, and every answer and refusal a service gives, told plainly ("No tienes
 * saldo suficiente: tu Cuenta Nómina tiene $12.50 MXN"). Amounts are formatted for es-MX or
 * en-US; a card is only ever its last four digits ("tu tarjeta con terminación 1234").
 * Pure: both front doors (MCP and the chat) speak through it.
 */
import { formatMoney } from '@centli/pure/money';
import { isFailureType } from '@centli/schemas';

export type Locale = 'es' | 'en';

const MONEY_LOCALE: Record<Locale, string> = { es: 'es-MX', en: 'en-US' };
const TIME_ZONE = 'America/Mexico_City';

export function money(amount: number, currency: string, locale: Locale): string {
  return formatMoney(amount, currency, MONEY_LOCALE[locale]);
}

/** `acc-carlos-nomina-3954` → `****3954`: enough to recognise an account, never the whole id. */
export function maskedAccount(accountId: string): string {
  return `****${accountId.slice(-4)}`;
}

interface BeneficiaryLike {
  name: string;
  alias: string;
  account_id?: string;
  clabe?: string;
}

/** "Carlos García (hermano), cuenta ****3954". */
export function describeDestination(beneficiary: BeneficiaryLike, locale: Locale): string {
  const where = beneficiary.account_id ?? beneficiary.clabe ?? '';
  return `${beneficiary.name} (${beneficiary.alias}), ${locale === 'es' ? 'cuenta' : 'account'} ${maskedAccount(where)}`;
}

interface CardLike {
  last_four: string;
  brand?: string;
  type?: string;
  status?: string;
  expiry?: string;
  name?: string;
}

const STATUS: Record<Locale, Record<string, string>> = {
  es: { active: 'activa', locked: 'bloqueada', cancelled: 'cancelada', replaced: 'reemplazada' },
  en: { active: 'active', locked: 'locked', cancelled: 'cancelled', replaced: 'replaced' },
};

/** "débito Visa con terminación 1234 (activa, vence 12/2028)". */
export function describeCard(card: CardLike, locale: Locale): string {
  const brand = card.brand ? card.brand.charAt(0).toUpperCase() + card.brand.slice(1) : '';
  const status = card.status ? STATUS[locale][card.status] ?? card.status : undefined;
  if (locale === 'es') {
    const kind = card.type === 'credit' ? 'crédito' : 'débito';
    return `${kind} ${brand} con terminación ${card.last_four}${status ? ` (${status}${card.expiry ? `, vence ${card.expiry}` : ''})` : ''}`.trim();
  }
  return `${brand} ${card.type ?? ''} card ending in ${card.last_four}${status ? ` (${status}${card.expiry ? `, expires ${card.expiry}` : ''})` : ''}`.replace(/\s+/g, ' ').trim();
}

interface AccountLike {
  account_id: string;
  name?: string;
  balance?: number;
  currency?: string;
}

interface OfferLike {
  retailer_name: string;
  product_name: string;
  total: number;
  currency: string;
  installments: Array<{ months: number; formatted_monthly_amount: string }>;
}

function list(items: readonly string[], locale: Locale): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${locale === 'es' ? 'o' : 'or'} ${items.at(-1)}`;
}

function accountName(account: AccountLike, locale: Locale): string {
  return account.name ? `${account.name} ${maskedAccount(account.account_id)}` : `${locale === 'es' ? 'cuenta' : 'account'} ${maskedAccount(account.account_id)}`;
}

const REASON: Record<string, string> = { lost: 'perdida', stolen: 'robada', damaged: 'dañada', expired: 'por vencer' };

/** The sentences of the plan, in one language. */
export function texts(locale: Locale) {
  const es = locale === 'es';
  return {
    askAmount: es ? '¿Cuánto quieres transferir?' : 'How much would you like to transfer?',
    amountUnclear: (said: string) => (es ? `No entendí la cantidad «${said}». Dímela en números, por ejemplo «$1,500.50».` : `I did not understand the amount "${said}". Please say it in digits, e.g. "$1,500.50".`),
    askDestination: es ? '¿A quién le transfiero? Dime el nombre o el alias de tu beneficiario.' : 'Who should I send it to? Tell me your beneficiary’s name or alias.',
    accountLabel: (accountId: string) => `${es ? 'la cuenta' : 'account'} ${maskedAccount(accountId)}`,
    whichBeneficiary: (said: string, candidates: readonly BeneficiaryLike[]) => {
      const first = said.replace(/^(a |to )?(mi |my |el |la )?/i, '').split(/\s+/)[0] ?? said;
      return es ? `¿A cuál ${first}? ${list(candidates.map((c) => `${c.name} (${c.alias})`), locale)}.` : `Which ${first}? ${list(candidates.map((c) => `${c.name} (${c.alias})`), locale)}.`;
    },
    beneficiaryNotFound: (said: string, suggestions: readonly BeneficiaryLike[]) =>
      es
        ? `No encontré a «${said}» entre tus beneficiarios.${suggestions.length ? ` ¿Quisiste decir ${list(suggestions.map((s) => `${s.name} (${s.alias})`), locale)}?` : ''}`
        : `I could not find "${said}" among your beneficiaries.${suggestions.length ? ` Did you mean ${list(suggestions.map((s) => `${s.name} (${s.alias})`), locale)}?` : ''}`,
    externalTransfer: (b: BeneficiaryLike) =>
      es
        ? `${b.name} (${b.alias}) tiene una cuenta en otro banco (CLABE ${maskedAccount(b.clabe ?? '')}); por ahora solo puedo transferir a cuentas Centli.`
        : `${b.name} (${b.alias}) banks elsewhere (CLABE ${maskedAccount(b.clabe ?? '')}); for now I can only transfer to Centli accounts.`,
    noSourceAccount: (currency: string) => (es ? `No tienes una cuenta activa en ${currency} de la cual pagar.` : `You have no active ${currency} account to pay from.`),
    confirmTransfer: (amount: number, currency: string, destination: string, source: AccountLike) =>
      es
        ? `¿Transfiero ${money(amount, currency, locale)} a ${destination}, desde tu ${accountName(source, locale)}?`
        : `Shall I transfer ${money(amount, currency, locale)} to ${destination}, from your ${accountName(source, locale)}?`,
    askProduct: es ? '¿Qué producto quieres comprar?' : 'Which product would you like to buy?',
    productNotFound: (words: string) => (es ? `No encontré «${words}» en el catálogo.` : `I could not find "${words}" in the catalog.`),
    productNotFoundYet: (words: string) =>
      es
        ? `No encontré «${words}» en la parte del catálogo que revisé. Dime la categoría o un nombre más preciso y lo busco de nuevo.`
        : `I could not find "${words}" in the part of the catalog I searched. Tell me its category or a more precise name and I will look again.`,
    whichProduct: (words: string) => (es ? `Encontré varios productos para «${words}». ¿Cuál quieres?` : `I found several products for "${words}". Which one would you like?`),
    from: es ? 'desde' : 'from',
    outOfStock: (product: string) => (es ? `${product} está agotado por ahora.` : `${product} is out of stock for now.`),
    installmentsNotAvailable: (offer: OfferLike, months: number) =>
      es
        ? `${offer.retailer_name} no ofrece ${months} meses sin intereses para ${offer.product_name} a ${money(offer.total, offer.currency, locale)}. ${offer.installments.length ? `Puede ser a ${list(offer.installments.map((p) => `${p.months}`), locale)} meses.` : 'Solo de contado.'}`
        : `${offer.retailer_name} does not offer ${months} interest-free months for ${offer.product_name} at ${money(offer.total, offer.currency, locale)}. ${offer.installments.length ? `It can be ${list(offer.installments.map((p) => `${p.months}`), locale)} months.` : 'Only paid at once.'}`,
    monthsLabel: (months: number, monthly: string) => (es ? `${months} MSI de ${monthly}` : `${months} months of ${monthly}`),
    payAtOnce: es ? 'De contado' : 'Pay at once',
    confirmPurchase: (offer: OfferLike, quantity: number, plan: { months: number; formatted_monthly_amount: string } | undefined, source: AccountLike) => {
      const what = quantity > 1 ? `${quantity} × ${offer.product_name}` : offer.product_name;
      const total = money(offer.total, offer.currency, locale);
      return es
        ? `¿Compro ${what} en ${offer.retailer_name} por ${total}${plan ? ` a ${plan.months} meses sin intereses de ${plan.formatted_monthly_amount}` : ' de contado'}, con cargo a tu ${accountName(source, locale)}?`
        : `Shall I buy ${what} from ${offer.retailer_name} for ${total}${plan ? ` in ${plan.months} interest-free monthly payments of ${plan.formatted_monthly_amount}` : ', paid at once'}, charged to your ${accountName(source, locale)}?`;
    },
    cardNotFound: (lastFour: unknown) =>
      es ? `No encontré ${typeof lastFour === 'string' ? `una tarjeta tuya con terminación ${lastFour}` : 'esa tarjeta entre las tuyas'}.` : `I could not find ${typeof lastFour === 'string' ? `a card of yours ending in ${lastFour}` : 'that card among yours'}.`,
    whichCard: es ? '¿Cuál tarjeta?' : 'Which card?',
    noCardToLock: es ? 'No tienes tarjetas activas que bloquear.' : 'You have no active card to lock.',
    noCardToUnlock: es ? 'No tienes tarjetas bloqueadas que desbloquear.' : 'You have no locked card to unlock.',
    noCardToReplace: es ? 'No tienes tarjetas que reemplazar.' : 'You have no card to replace.',
    confirmReplacement: (card: CardLike, reason: string, address: string | undefined) => {
      const where = address ?? (es ? 'tu dirección registrada' : 'your address on file');
      const final = reason === 'lost' || reason === 'stolen';
      return es
        ? `${final ? `¿Cancelo tu tarjeta con terminación ${card.last_four} (${REASON[reason]}) y te envío una nueva a ${where}? La cancelación es definitiva.` : `¿Te envío una tarjeta nueva a ${where} para reemplazar la de terminación ${card.last_four} (${REASON[reason]})? La actual sigue funcionando hasta que llegue.`}`
        : `${final ? `Shall I cancel your card ending in ${card.last_four} (${reason}) and send a new one to ${where}? Cancelling cannot be undone.` : `Shall I send a new card to ${where} to replace the one ending in ${card.last_four} (${reason})? The current one keeps working until it arrives.`}`;
    },
    confirmed: es ? 'Hecho.' : 'Done.',
    askAgain: es ? '¿Me lo repites? No recibí ningún texto.' : 'Could you say that again? I received no text.',
    unavailable: es ? 'No puedo entenderte en este momento; intenta de nuevo en un momento. No se hizo nada.' : 'I cannot understand messages right now; please try again shortly. Nothing was done.',
    greeting: es
      ? '¡Hola! Soy tu asistente de Centli. Puedo decirte tu saldo y tus movimientos, transferir a tus beneficiarios, comprar con meses sin intereses y bloquear o reponer tus tarjetas. ¿En qué te ayudo?'
      : 'Hi! I am your Centli assistant. I can tell you your balance and transactions, transfer to your beneficiaries, buy with interest-free months, and lock or replace your cards. How can I help?',
    help: es
      ? 'Prueba con: «¿Cuál es mi saldo?», «¿Qué gasté ayer?», «Transfiere 100 pesos a mi hermano», «Compra una laptop a 6 meses sin intereses», «Bloquea mi tarjeta con terminación 1234» o «Perdí mi tarjeta». Antes de mover dinero siempre te pido confirmación.'
      : 'Try: "What is my balance?", "What did I spend yesterday?", "Transfer 100 pesos to my brother", "Buy a laptop in 6 interest-free months", "Lock my card ending in 1234" or "I lost my card". I always ask you to confirm before money moves.',
    notUnderstood: es
      ? 'No entendí qué necesitas. Puedo ayudarte con saldos, movimientos, transferencias, compras y tarjetas; escribe «ayuda» para ver ejemplos.'
      : 'I did not understand what you need. I can help with balances, transactions, transfers, purchases and cards; type "help" for examples.',
    declined: es ? 'De acuerdo, no hice nada.' : 'All right, I did nothing.',
    nothingPending: es ? 'No hay nada pendiente de confirmar.' : 'There is nothing waiting for your confirmation.',
    expired: es ? 'La confirmación expiró; pídemelo de nuevo y te muestro los datos otra vez.' : 'That confirmation expired; ask me again and I will show you the details again.',
  };
}

type Detail = Record<string, unknown>;

/** Context for an answer: what the plan learnt on the way (the accounts, for an insufficient-funds refusal). */
export interface AnswerContext {
  locale: Locale;
  answers?: Readonly<Record<string, { detailType: string; detail: Detail }>>;
  /** The request the answer answers, when it was a money movement. */
  request?: { detailType: string; detail: Detail };
}

/** What the customer is told for a service's answer. */
export function describeAnswer(answer: { detailType: string; detail: Detail }, context: AnswerContext): string {
  const { locale } = context;
  const es = locale === 'es';
  const d = answer.detail;
  switch (answer.detailType) {
    case 'BALANCE_RESPONSE': {
      const accounts = (d.accounts ?? []) as Array<AccountLike & { status: string; balance: number; currency: string }>;
      if (accounts.length === 0) return es ? 'No tienes cuentas.' : 'You have no accounts.';
      const lines = accounts.map((a) => `${accountName(a, locale)}: ${money(a.balance, a.currency, locale)}${a.status === 'active' ? '' : ` (${es ? (a.status === 'frozen' ? 'congelada' : 'cerrada') : a.status})`}`);
      const totals = (d.totals ?? []) as Array<{ balance: number; currency: string }>;
      const total = totals.map((t) => money(t.balance, t.currency, locale)).join(es ? ' y ' : ' and ');
      return `${es ? 'Tus saldos' : 'Your balances'}:\n${lines.map((l) => `• ${l}`).join('\n')}${accounts.length > 1 && total ? `\n${es ? 'Total disponible' : 'Total available'}: ${total}` : ''}`;
    }
    case 'TRANSACTIONS_RESPONSE': {
      const entries = (d.transactions ?? d.entries ?? []) as Array<{ direction: string; amount: number; currency: string; timestamp: string; counterparty_account_id?: string; description?: string; account_id?: string }>;
      if (entries.length === 0) return es ? 'No encontré movimientos en ese periodo.' : 'I found no transactions in that period.';
      const date = new Intl.DateTimeFormat(es ? 'es-MX' : 'en-US', { timeZone: TIME_ZONE, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
      const lines = entries.map((e) => {
        const sign = e.direction === 'debit' ? '−' : '+';
        const who = e.counterparty_account_id ? ` ${e.direction === 'debit' ? (es ? 'a' : 'to') : es ? 'de' : 'from'} ${maskedAccount(e.counterparty_account_id)}` : '';
        return `• ${date.format(new Date(e.timestamp))} ${sign}${money(e.amount, e.currency, locale)}${who}${e.description ? ` · ${e.description}` : ''}`;
      });
      const spent = entries.filter((e) => e.direction === 'debit');
      const byCurrency = new Map<string, number>();
      for (const e of spent) byCurrency.set(e.currency, (byCurrency.get(e.currency) ?? 0) + e.amount);
      const total = [...byCurrency].map(([currency, amount]) => money(amount, currency, locale)).join(', ');
      return `${es ? 'Tus movimientos' : 'Your transactions'}:\n${lines.join('\n')}${total ? `\n${es ? 'Gastado' : 'Spent'}: ${total}` : ''}${d.next_cursor ? `\n${es ? '(Hay más.)' : '(There are more.)'}` : ''}`;
    }
    case 'BENEFICIARIES_RESPONSE': {
      const rows = (d.beneficiaries ?? []) as BeneficiaryLike[];
      if (rows.length === 0) return es ? 'Aún no tienes beneficiarios.' : 'You have no beneficiaries yet.';
      return `${es ? 'Tus beneficiarios' : 'Your beneficiaries'}:\n${rows.map((b) => `• ${describeDestination(b, locale)}`).join('\n')}`;
    }
    case 'ALIAS_RESOLUTION_RESPONSE': {
      const candidates = (d.candidates ?? []) as BeneficiaryLike[];
      if (d.status === 'resolved') return `${String(d.alias)}: ${describeDestination(d.beneficiary as BeneficiaryLike, locale)}.`;
      if (d.status === 'ambiguous') return texts(locale).whichBeneficiary(String(d.alias), candidates);
      return texts(locale).beneficiaryNotFound(String(d.alias), candidates);
    }
    case 'BENEFICIARY_ADDED': {
      const b = d.beneficiary as BeneficiaryLike;
      return es ? `Listo, guardé a ${describeDestination(b, locale)}.` : `Done: I saved ${describeDestination(b, locale)}.`;
    }
    case 'CATALOG_RESPONSE': {
      const products = (d.products ?? []) as Array<{ name: string; retailer_name?: string; formatted_price: string; price: number; currency: string; in_stock: boolean; msi_months: number[]; product_id: string }>;
      // A search reads a bounded part of the catalog per request: an empty page with a cursor is "not yet", not "none".
      const more = typeof d.next_cursor === 'string';
      if (products.length === 0) {
        if (more) return es ? 'Todavía no encontré productos con esa búsqueda en la parte del catálogo que revisé; queda más por revisar.' : 'No products match that search in the part of the catalog searched so far; there is more to search.';
        return es ? 'No encontré productos con esa búsqueda.' : 'No products match that search.';
      }
      return `${es ? 'Encontré' : 'I found'}:\n${products
        .map((p) => `• ${p.name}${p.retailer_name ? ` (${p.retailer_name})` : ''}: ${money(p.price, p.currency, locale)}${p.msi_months.length ? `, ${es ? 'hasta' : 'up to'} ${Math.max(...p.msi_months)} MSI` : ''}${p.in_stock ? '' : ` — ${es ? 'agotado' : 'out of stock'}`}`)
        .join('\n')}${more ? `\n${es ? '(Hay más resultados.)' : '(There are more results.)'}` : ''}`;
    }
    case 'BENEFITS_RESPONSE': {
      const offers = (d.offers ?? []) as Array<OfferLike & { cashback: number; in_stock: boolean; promotions: Array<{ description: string }> }>;
      if (offers.length === 0) return es ? 'Nadie vende ese producto.' : 'Nobody sells that product.';
      return offers
        .map((o) => {
          const plans = o.installments.map((p) => (es ? `${p.months} MSI de ${p.formatted_monthly_amount}` : `${p.months} months of ${p.formatted_monthly_amount}`));
          return `• ${o.product_name} ${es ? 'en' : 'at'} ${o.retailer_name}: ${money(o.total, o.currency, locale)}${plans.length ? ` — ${plans.join(', ')}` : ''}${o.cashback ? ` — cashback ${money(o.cashback, o.currency, locale)}` : ''}${o.in_stock ? '' : ` (${es ? 'agotado' : 'out of stock'})`}`;
        })
        .join('\n');
    }
    case 'CARDS_RESPONSE': {
      const cards = (d.cards ?? []) as CardLike[];
      if (cards.length === 0) return es ? 'No tienes tarjetas.' : 'You have no cards.';
      return `${es ? 'Tus tarjetas' : 'Your cards'}:\n${cards.map((c) => `• ${describeCard(c, locale)}`).join('\n')}`;
    }
    case 'CARD_LOCKED': {
      const card = d.card as CardLike;
      if (d.changed === false) return es ? `Tu tarjeta con terminación ${card.last_four} ya estaba bloqueada.` : `Your card ending in ${card.last_four} was already locked.`;
      return es ? `Listo, bloqueé tu tarjeta con terminación ${card.last_four}. Puedes desbloquearla cuando quieras.` : `Done: I locked your card ending in ${card.last_four}. You can unlock it anytime.`;
    }
    case 'CARD_UNLOCKED': {
      const card = d.card as CardLike;
      if (d.changed === false) return es ? `Tu tarjeta con terminación ${card.last_four} ya estaba activa.` : `Your card ending in ${card.last_four} was already active.`;
      return es ? `Listo, tu tarjeta con terminación ${card.last_four} vuelve a funcionar.` : `Done: your card ending in ${card.last_four} works again.`;
    }
    case 'CARD_REPLACEMENT_REQUESTED': {
      const card = d.card as CardLike;
      const r = d.replacement as { estimated_delivery: string; delivery_address: string; reason: string };
      const when = new Intl.DateTimeFormat(es ? 'es-MX' : 'en-US', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(`${r.estimated_delivery}T12:00:00Z`));
      const cancelled = card.status === 'cancelled';
      if (es) return `${d.existing ? 'Ya tenías una reposición en camino' : 'Listo'}: ${cancelled ? `tu tarjeta con terminación ${card.last_four} está cancelada y ` : ''}tu tarjeta nueva llegará a ${r.delivery_address} alrededor del ${when}.`;
      return `${d.existing ? 'A replacement was already on its way' : 'Done'}: ${cancelled ? `your card ending in ${card.last_four} is cancelled and ` : ''}your new card will reach ${r.delivery_address} around ${when}.`;
    }
    case 'TRANSFER_COMPLETED':
      return es
        ? `Listo: transferí ${money(Number(d.amount), String(d.currency), locale)} a la cuenta ${maskedAccount(String(d.to_account_id))}. Folio ${String(d.transaction_id)}.`
        : `Done: I transferred ${money(Number(d.amount), String(d.currency), locale)} to account ${maskedAccount(String(d.to_account_id))}. Reference ${String(d.transaction_id)}.`;
    case 'PURCHASE_STARTED':
      return es ? `Estoy procesando tu compra (${String(d.purchase_id)}).` : `Your purchase is being processed (${String(d.purchase_id)}).`;
    case 'PURCHASE_CONFIRMED': {
      const plan = d.installments as { months: number; formatted_monthly_amount: string } | undefined;
      return es
        ? `¡Compra confirmada! ${String(d.product_name)} por ${money(Number(d.total), String(d.currency), locale)}${plan ? ` a ${plan.months} meses sin intereses de ${plan.formatted_monthly_amount}` : ''}. Folio ${String(d.purchase_id)}.`
        : `Purchase confirmed! ${String(d.product_name)} for ${money(Number(d.total), String(d.currency), locale)}${plan ? ` in ${plan.months} interest-free monthly payments of ${plan.formatted_monthly_amount}` : ''}. Reference ${String(d.purchase_id)}.`;
    }
    case 'PURCHASE_STATUS_RESPONSE': {
      if (d.status === 'confirmed') return describeAnswer({ detailType: 'PURCHASE_CONFIRMED', detail: { ...d, product_name: d.product_name ?? '' } }, context);
      if (d.status === 'failed') return refusal(String(d.reason ?? 'PURCHASE.FAILED'), String(d.message ?? ''), context);
      return es ? `Tu compra ${String(d.purchase_id)} sigue en proceso.` : `Your purchase ${String(d.purchase_id)} is still being processed.`;
    }
    default:
      if (isFailureType(answer.detailType)) return refusal(String(d.reason ?? ''), String(d.message ?? ''), context);
      return es ? 'Listo.' : 'Done.';
  }
}

/** A refusal told plainly, with what the customer can do about it. */
export function refusal(code: string, message: string, context: AnswerContext): string {
  const { locale } = context;
  const es = locale === 'es';
  const source = sourceOf(context);
  const available = source && typeof source.balance === 'number' && source.currency ? money(source.balance, source.currency, locale) : undefined;
  switch (code) {
    case 'TRANSFER.INSUFFICIENT_FUNDS':
    case 'PAYMENT.INSUFFICIENT_FUNDS':
      return es
        ? `No tienes saldo suficiente${source ? `: tu ${accountName(source, locale)} tiene ${available} disponibles` : ''}. No se movió dinero.`
        : `You do not have enough funds${source ? `: your ${accountName(source, locale)} has ${available} available` : ''}. No money moved.`;
    case 'TRANSFER.DAILY_LIMIT_EXCEEDED':
      return es ? `Esta transferencia rebasaría tu límite diario. ${message.replace(/^.*limit of /, 'Límite: ').replace(/\.$/, '')}. No se movió dinero.` : `${message} No money moved.`;
    case 'TRANSFER.AMOUNT_OVER_LIMIT':
      return es ? `El monto rebasa el límite por transferencia (${message.replace(/^.*limit of /, '').replace(/\.$/, '')}). No se movió dinero.` : `${message} No money moved.`;
    case 'TRANSFER.ACCOUNT_NOT_FOUND':
    case 'PAYMENT.ACCOUNT_NOT_FOUND':
      return es ? 'Esa cuenta de origen no es tuya. No se movió dinero.' : 'That source account is not one of yours. No money moved.';
    case 'TRANSFER.ACCOUNT_INACTIVE':
    case 'PAYMENT.ACCOUNT_INACTIVE':
      return es ? 'Tu cuenta de origen no está activa. No se movió dinero.' : 'Your source account is not active. No money moved.';
    case 'TRANSFER.DESTINATION_NOT_FOUND':
      return es ? 'La cuenta de destino no existe. No se movió dinero.' : 'The destination account does not exist. No money moved.';
    case 'TRANSFER.DESTINATION_INACTIVE':
      return es ? 'La cuenta de destino no puede recibir dinero ahora. No se movió dinero.' : 'The destination account cannot receive money right now. No money moved.';
    case 'TRANSFER.SAME_ACCOUNT':
      return es ? 'La cuenta de origen y la de destino son la misma.' : 'The source and destination accounts are the same.';
    case 'TRANSFER.CURRENCY_MISMATCH':
    case 'PAYMENT.CURRENCY_MISMATCH':
      return es ? 'La moneda no coincide con la de la cuenta. No se movió dinero.' : 'The currency does not match the account’s. No money moved.';
    case 'PURCHASE.OUT_OF_STOCK':
      return es ? 'Ese producto se agotó; no se te cobró nada.' : 'That product sold out; you were not charged.';
    case 'PURCHASE.INSTALLMENTS_NOT_AVAILABLE':
      return es ? 'La tienda no ofrece esos meses sin intereses para esta compra; no se te cobró nada.' : 'The retailer does not offer those interest-free months for this purchase; you were not charged.';
    case 'PURCHASE.PRODUCT_NOT_FOUND':
    case 'BENEFITS.PRODUCT_NOT_FOUND':
      return es ? 'Ese producto no está a la venta.' : 'That product is not for sale.';
    case 'CARD.NOT_FOUND':
      return es ? 'No encontré esa tarjeta entre las tuyas.' : 'I could not find that card among yours.';
    case 'CARD.CLOSED':
      return es ? 'Esa tarjeta ya fue cancelada o reemplazada y no se puede volver a usar.' : 'That card was cancelled or replaced and can never be used again.';
    case 'CARD.AMBIGUOUS':
      return es ? 'Tienes más de una tarjeta con esa terminación; dime cuál.' : 'You have more than one card ending in those digits; tell me which one.';
    case 'BENEFICIARY.DUPLICATE_ALIAS':
      return es ? 'Ya tienes un beneficiario con ese alias; elige otro.' : 'You already have a beneficiary with that alias; choose another.';
    case 'BENEFICIARY.INVALID_CLABE':
      return es ? 'Esa CLABE no es válida; revisa los 18 dígitos.' : 'That CLABE is not valid; check its 18 digits.';
    case 'AUTH.UNAUTHENTICATED':
      return es ? 'Tu sesión no es válida; vuelve a iniciar sesión.' : 'Your session is not valid; please sign in again.';
    case 'CONFIRMATION.EXPIRED':
      return texts(locale).expired;
    case 'CONFIRMATION.USED':
      return es ? 'Esa confirmación ya se usó; no se volvió a hacer nada.' : 'That confirmation was already used; nothing was done again.';
    case 'CONFIRMATION.ALTERED':
      return es ? 'Esa confirmación era para otra cosa: los datos cambiaron desde que se mostraron. No se hizo nada; pídelo de nuevo.' : 'That confirmation was for something else: the details changed since they were shown. Nothing was done; ask again.';
    case 'CONFIRMATION.INVALID':
      return es ? 'Esa confirmación no es válida. No se hizo nada; pídelo de nuevo para obtener una nueva.' : 'That confirmation is not valid. Nothing was done; ask again to get a new one.';
    case 'REQUEST.INVALID':
      return es ? `Datos no válidos: ${message}` : `Invalid request: ${message}`;
    default:
      return es ? (message ? `No se pudo: ${message}` : 'No se pudo hacer.') : message || 'That could not be done.';
  }
}

/** The account money would have come from, from the request and the accounts the plan read. */
function sourceOf(context: AnswerContext): (AccountLike & { balance?: number; currency?: string }) | undefined {
  const id = context.request?.detail.from_account_id ?? context.request?.detail.account_id;
  const accounts = (context.answers?.accounts?.detail.accounts ?? []) as Array<AccountLike & { balance: number; currency: string }>;
  return typeof id === 'string' ? accounts.find((a) => a.account_id === id) : undefined;
}
