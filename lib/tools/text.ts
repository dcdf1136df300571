/**
 * The text catalogue: everything the assistant says, in the customer's language. The summaries a
 * confirmation shows, the answers to every service's events, the doors' own words (a greeting,
 * a malformed message, a confirmation's hint), and every refusal and question, whose texts are
 * the error catalogue's (@centli/pure/refusals), with what the door knows added ("No tienes
 * saldo suficiente: tu Cuenta Nómina tiene $12.50 MXN"). Amounts are formatted for es-MX or
 * en-US; a card is only ever its last four digits ("tu tarjeta con terminación 1234"). No front
 * door writes a customer-facing sentence of its own.
 *
 * Words someone other than the customer or Centli wrote are shown only inside « », neutralised
 * (@centli/pure/quoted), because the customer's agent reads these texts too: a transaction's
 * description (a payer's concepto, a purchase's product name, or legacy text; who wrote a
 * history's text is never assumed, so every description is quoted), and what a retailer writes
 * (its products' names, its own name), in answers, summaries and refusals. What the customer wrote
 * themselves (their beneficiaries' names and aliases, their address) and what Centli names
 * (accounts, cards) is shown as it is. Pure.
 */
import { bankName } from '@centli/pure/banks';
import { momentOf, money, type Locale } from '@centli/pure/locale';
import { neutralised, quoted } from '@centli/pure/quoted';
import { refusalText, type Params, type RefusalCode, type RefusalParams } from '@centli/pure/refusals';
import { isFailureType } from '@centli/schemas';

export type { Locale };
export { money };

const TIME_ZONE = 'America/Mexico_City';

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

function accountName(account: AccountLike, locale: Locale): string {
  return account.name ? `${account.name} ${maskedAccount(account.account_id)}` : `${locale === 'es' ? 'cuenta' : 'account'} ${maskedAccount(account.account_id)}`;
}

const REASON: Record<string, string> = { lost: 'perdida', stolen: 'robada', damaged: 'dañada', expired: 'por vencer' };

/** The sentences of the plan, in one language. */
export function texts(locale: Locale) {
  const es = locale === 'es';
  return {
    /** With its concepto, quoted: the recipient will read it, so the customer sees it before saying yes. */
    confirmTransfer: (amount: number, currency: string, destination: string, source: AccountLike, concepto?: string) =>
      es
        ? `¿Transfiero ${money(amount, currency, locale)} a ${destination}, desde tu ${accountName(source, locale)}${concepto === undefined ? '' : `, con el concepto ${quoted(concepto)}`}?`
        : `Shall I transfer ${money(amount, currency, locale)} to ${destination}, from your ${accountName(source, locale)}${concepto === undefined ? '' : `, with the reference ${quoted(concepto)}`}?`,
    /** Paying a beneficiary at another bank: by SPEI, to the name and the bank the customer will recognise. */
    confirmSpei: (amount: number, beneficiary: BeneficiaryLike, bank: string, source: AccountLike, concepto?: string) =>
      es
        ? `¿Envío ${money(amount, 'MXN', locale)} por SPEI a ${beneficiary.name} (${beneficiary.alias}) en ${bank} (CLABE ${maskedAccount(beneficiary.clabe ?? '')}), desde tu ${accountName(source, locale)}${concepto === undefined ? '' : `, con el concepto ${quoted(concepto)}`}?`
        : `Shall I send ${money(amount, 'MXN', locale)} by SPEI to ${beneficiary.name} (${beneficiary.alias}) at ${bank} (CLABE ${maskedAccount(beneficiary.clabe ?? '')}), from your ${accountName(source, locale)}${concepto === undefined ? '' : `, with the reference ${quoted(concepto)}`}?`,
    /** An account given by its number that is the customer's own. */
    ownAccountLabel: (accountId: string) => `${es ? 'tu cuenta' : 'your account'} ${maskedAccount(accountId)}`,
    /** An account given by its number, with its holder's registered name (Confirmation of Payee). */
    holderLabel: (holder: string | undefined, accountId: string) =>
      holder ? `${holder}, ${es ? 'cuenta' : 'account'} ${maskedAccount(accountId)}` : `${es ? 'la cuenta' : 'account'} ${maskedAccount(accountId)} (${es ? 'sin titular registrado' : 'no registered holder'})`,
    /** Saving a Centli account as a payee: under its holder's registered name, and saying so when the name given differs. */
    confirmPayee: (registered: string | undefined, given: string, alias: string, accountId: string, differs: boolean) => {
      const account = `${es ? 'cuenta' : 'account'} ${maskedAccount(accountId)}`;
      if (registered === undefined) {
        return es
          ? `¿Guardo la ${account} como tu beneficiario ${quoted(alias)}, con el nombre ${quoted(given)}? No puedo confirmar el nombre de su titular.`
          : `Shall I save ${account} as your payee ${quoted(alias)}, under the name ${quoted(given)}? I cannot confirm its holder's name.`;
      }
      const note = differs
        ? es
          ? ` Su titular registrado es ${registered}, no ${quoted(given)}: lo guardo con el nombre registrado.`
          : ` Its registered holder is ${registered}, not ${quoted(given)}: I will save the registered name.`
        : '';
      return es ? `¿Guardo a ${registered} (${account}) como tu beneficiario ${quoted(alias)}?${note}` : `Shall I save ${registered} (${account}) as your payee ${quoted(alias)}?${note}`;
    },
    /** Saving another bank's account: its holder cannot be checked. */
    confirmClabePayee: (given: string, alias: string, clabe: string) =>
      es
        ? `¿Guardo a ${quoted(given)} (CLABE ${maskedAccount(clabe)}, de otro banco) como tu beneficiario ${quoted(alias)}? No puedo confirmar el titular de una cuenta de otro banco: revisa que la CLABE sea la correcta.`
        : `Shall I save ${quoted(given)} (CLABE ${maskedAccount(clabe)}, another bank) as your payee ${quoted(alias)}? I cannot confirm who holds an account at another bank: check that the CLABE is right.`,
    /** Raising the MTU: the customer approves it with their second factor. */
    confirmRaiseMtu: (amount: number, current: number | undefined) =>
      es
        ? `¿Subo tu monto transaccional (MTU)${current === undefined ? '' : ` de ${money(current, 'MXN', locale)}`} a ${money(amount, 'MXN', locale)}? Hasta ese monto, tus transferencias y compras ya no pedirán tu segundo factor. Se autoriza con tu llave de acceso.`
        : `Shall I raise your transaction limit (MTU)${current === undefined ? '' : ` from ${money(current, 'MXN', locale)}`} to ${money(amount, 'MXN', locale)}? Up to that amount, your transfers and purchases will no longer ask for your second factor. It is approved with your passkey.`,
    confirmUnlock: (card: CardLike) =>
      es ? `¿Desbloqueo tu tarjeta ${describeCard(card, locale)}? Volverá a aceptar compras y retiros.` : `Shall I unlock your ${describeCard(card, locale)}? It will accept purchases and withdrawals again.`,
    from: es ? 'desde' : 'from',
    monthsLabel: (months: number, monthly: string) => (es ? `${months} MSI de ${monthly}` : `${months} months of ${monthly}`),
    payAtOnce: es ? 'De contado' : 'Pay at once',
    confirmPurchase: (offer: OfferLike, quantity: number, plan: { months: number; formatted_monthly_amount: string } | undefined, source: AccountLike) => {
      const what = quantity > 1 ? `${quantity} × ${quoted(offer.product_name)}` : quoted(offer.product_name);
      const total = money(offer.total, offer.currency, locale);
      return es
        ? `¿Compro ${what} en ${quoted(offer.retailer_name)} por ${total}${plan ? ` a ${plan.months} meses sin intereses de ${plan.formatted_monthly_amount}` : ' de contado'}, con cargo a tu ${accountName(source, locale)}?`
        : `Shall I buy ${what} from ${quoted(offer.retailer_name)} for ${total}${plan ? ` in ${plan.months} interest-free monthly payments of ${plan.formatted_monthly_amount}` : ', paid at once'}, charged to your ${accountName(source, locale)}?`;
    },
    /**
     * `locked`: a lost or stolen card the plan has just locked (`now`) or found locked
     * (`already`): the summary says so, and asks only about cancelling and replacing it.
     */
    confirmReplacement: (card: CardLike, reason: string, address: string | undefined, locked?: 'now' | 'already') => {
      const where = address ?? (es ? 'tu dirección registrada' : 'your address on file');
      if (locked) {
        const said =
          locked === 'now'
            ? es
              ? `Bloqueé tu tarjeta con terminación ${card.last_four} para que nadie la use.`
              : `I've locked your card ending in ${card.last_four} so no one can use it.`
            : es
              ? `Tu tarjeta con terminación ${card.last_four} ya está bloqueada.`
              : `Your card ending in ${card.last_four} is already locked.`;
        return es
          ? `${said} ¿La cancelo y te envío una nueva a ${where}? La cancelación es definitiva.`
          : `${said} Shall I cancel it and send a new one to ${where}? Cancelling cannot be undone.`;
      }
      const final = reason === 'lost' || reason === 'stolen';
      return es
        ? `${final ? `¿Cancelo tu tarjeta con terminación ${card.last_four} (${REASON[reason]}) y te envío una nueva a ${where}? La cancelación es definitiva.` : `¿Te envío una tarjeta nueva a ${where} para reemplazar la de terminación ${card.last_four} (${REASON[reason]})? La actual sigue funcionando hasta que llegue.`}`
        : `${final ? `Shall I cancel your card ending in ${card.last_four} (${reason}) and send a new one to ${where}? Cancelling cannot be undone.` : `Shall I send a new card to ${where} to replace the one ending in ${card.last_four} (${reason})? The current one keeps working until it arrives.`}`;
    },
    /** The customer said no to replacing a lost or stolen card the turn locked: it stays locked, and how to undo that. */
    declinedLocked: (lastFour: string) =>
      es
        ? `De acuerdo, no la cancelé. Tu tarjeta con terminación ${lastFour} sigue bloqueada; si la encuentras, pídeme «desbloquea mi tarjeta con terminación ${lastFour}».`
        : `All right, I did not cancel it. Your card ending in ${lastFour} stays locked; if you find it, ask me to "unlock my card ending in ${lastFour}".`,
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
    /** A yes to a confirmation whose message never reached the customer (no socket was open): it is not taken. */
    confirmationNotShown: es
      ? 'No alcancé a mostrarte la confirmación, así que no hice nada. Pídemelo de nuevo y te muestro los datos.'
      : 'I could not show you the confirmation, so I did nothing. Ask me again and I will show you the details.',
    yes: es ? 'Sí' : 'Yes',
    no: 'No',
    /** A chat frame that is not `{"action":"message","text":"…"}`. */
    sendFormat: es ? 'Envía {"action":"message","text":"…"}.' : 'Send {"action":"message","text":"…"}.',
    tooLong: (max: number) => (es ? `Tu mensaje es muy largo (máximo ${max} caracteres).` : `Your message is too long (at most ${max} characters).`),
    /** What an agent is told with an approval: that only the customer can approve it, where, and what to do after. */
    approvalHint: (tool: string, url: string, approvalId: string, expiresAt: string) =>
      es
        ? `Nada se ha hecho aún, y solo el cliente puede aprobarlo. Dale este enlace para que lo revise y lo apruebe o rechace en Centli: ${url} (válido hasta ${expiresAt}). Después, llama ${tool} de nuevo con los mismos argumentos y "approval_id": "${approvalId}".`
        : `Nothing has happened yet, and only the customer can approve it. Give them this link to review it and approve or decline it at Centli: ${url} (valid until ${expiresAt}). Then call ${tool} again with the same arguments and "approval_id": "${approvalId}".`,
    /** An operation above the customer's MTU, asked for in the chat: a yes there is no second factor. */
    stepUpInChat: (url: string) =>
      es
        ? `Rebasa tu monto transaccional (MTU), así que necesita tu segundo factor: un «sí» aquí no basta y no hice nada. Si quieres, apruébalo con tu llave de acceso en ${url} (tienes 5 minutos) y luego dime «sí».`
        : `It is above your transaction limit (MTU), so it needs your second factor: a "yes" here is not enough, and nothing was done. If you want it, approve it with your passkey at ${url} (within 5 minutes), then tell me "yes".`,
    /** A yes in the chat before the customer approved on the page. */
    stepUpPending: (url: string) =>
      es ? `Aún no lo apruebas con tu llave de acceso; no hice nada. Apruébalo en ${url} y luego dime «sí».` : `You have not approved it with your passkey yet; nothing was done. Approve it at ${url}, then tell me "yes".`,
    /** The same, where the door cannot send the customer to the approval page (the phone): the app is where the second factor is. */
    stepUpUnavailable: es
      ? 'Rebasa tu monto transaccional (MTU), así que necesita tu segundo factor, que aquí no puedo pedirte; no hice nada. Puedes hacerlo desde tu app de Centli, donde lo apruebas con tu llave de acceso.'
      : 'It is above your transaction limit (MTU), so it needs your second factor, which I cannot ask for here; nothing was done. You can do it from your Centli app, where you approve it with your passkey.',
    /** After a SPEI transfer's answer, for an agent: how to learn what happened to it later. */
    speiFollowUp: (transferId: string) =>
      es
        ? `Para saber si ya se liquidó o si fue devuelta, llama get_transfer_status con "transfer_id": "${transferId}".`
        : `To learn whether it has settled or come back, call get_transfer_status with "transfer_id": "${transferId}".`,
    /** The customer has not decided yet. */
    approvalPending: (url: string) =>
      es ? `El cliente aún no lo aprueba; no se ha hecho nada. El enlace para aprobarlo sigue siendo ${url}` : `The customer has not approved it yet; nothing has been done. The link to approve it is still ${url}`,
    confirm: es ? 'Confirmar' : 'Confirm',
    /** The phone's read-back ends so: the caller confirms by voice or keypad (services/voice reads "1" as a yes, "2" as a no). */
    voiceConfirm: es ? 'Di sí o marca 1.' : 'Say yes or press 1.',
    /** After a question's choices are said on the phone: one is picked by name or by its place. */
    voiceChoose: es ? 'Dime cuál, o marca su número en la lista.' : 'Tell me which one, or press its number in the list.',
    /** A caller who did not want to hear the rest of a list. */
    anythingElse: es ? 'De acuerdo. ¿Algo más?' : 'All right. Anything else?',
    /** The phone hangs up. */
    goodbye: es ? 'Gracias por llamar a Centli. Hasta luego.' : 'Thank you for calling Centli. Goodbye.',
  };
}

/** Words someone else wrote, quoted and neutralised; nothing when nothing visible is left of them. */
function theirs(text: unknown): string | undefined {
  return typeof text === 'string' && neutralised(text) !== '' ? quoted(text) : undefined;
}

/** A text for someone whose language is not known yet (no valid token): both languages, Spanish first. */
export function bilingual(text: (locale: Locale) => string): string {
  return `${text('es')} / ${text('en')}`;
}

type Detail = Record<string, unknown>;

/** "Diego Martínez (BBVA, CLABE ****9004)": the payee of a SPEI transfer, by the name the customer saved and the bank of the CLABE. */
function speiPayee(name: unknown, bank: unknown, clabe: unknown, locale: Locale): string {
  const account = typeof clabe === 'string' ? clabe : '';
  return `${typeof name === 'string' && name ? name : locale === 'es' ? 'tu beneficiario' : 'your payee'} (${typeof bank === 'string' && bank ? bank : bankName(account)}, CLABE ${maskedAccount(account)})`;
}

/**
 * Where a SPEI transfer stands (TRANSFER_STATUS_RESPONSE), with its receipt's fields (the CEP:
 * date, sending and receiving bank, the beneficiary's account ending, amount, clave de rastreo)
 * and where anyone can check that receipt at Banxico.
 */
function transferStatus(d: Detail, locale: Locale): string {
  const es = locale === 'es';
  const cep = d.cep as { date: string; sending_bank: string; receiving_bank: string; beneficiary_name: string; beneficiary_account_ending: string; amount: number; currency: string; clave_rastreo: string; concepto?: string; check_url: string };
  const amount = money(cep.amount, cep.currency, locale);
  const to = `${cep.beneficiary_name} (${cep.receiving_bank}, ${es ? 'cuenta' : 'account'} ****${cep.beneficiary_account_ending})`;
  const returned = typeof d.return_reason === 'string' && neutralised(d.return_reason) !== '' ? ` (${quoted(d.return_reason.replace(/_/g, ' '))})` : '';
  const status: Record<string, string> = es
    ? {
        in_transit: `Tu transferencia SPEI de ${amount} a ${to} va en camino: el banco receptor aún no la liquida.`,
        settled: `Tu transferencia SPEI de ${amount} a ${to} ya llegó: se liquidó${typeof d.settled_at === 'string' ? ` el ${momentOf(d.settled_at, locale)}` : ''}.`,
        returned: `Tu transferencia SPEI de ${amount} a ${to} fue devuelta por el banco receptor${returned}; el dinero está de vuelta en tu cuenta.`,
        timed_out: `Tu transferencia SPEI de ${amount} a ${to} no fue confirmada a tiempo y la cancelé; el dinero está de vuelta en tu cuenta.`,
      }
    : {
        in_transit: `Your SPEI transfer of ${amount} to ${to} is on its way: the receiving bank has not settled it yet.`,
        settled: `Your SPEI transfer of ${amount} to ${to} has arrived: it settled${typeof d.settled_at === 'string' ? ` on ${momentOf(d.settled_at, locale)}` : ''}.`,
        returned: `Your SPEI transfer of ${amount} to ${to} was returned by the receiving bank${returned}; the money is back in your account.`,
        timed_out: `Your SPEI transfer of ${amount} to ${to} was not confirmed in time and I cancelled it; the money is back in your account.`,
      };
  const receipt = es
    ? `Comprobante (CEP): fecha ${cep.date}, banco emisor ${cep.sending_bank}, banco receptor ${cep.receiving_bank}, cuenta del beneficiario ****${cep.beneficiary_account_ending}, monto ${amount}, clave de rastreo ${cep.clave_rastreo}${cep.concepto ? `, concepto ${quoted(cep.concepto)}` : ''}.`
    : `Receipt (CEP): date ${cep.date}, sending bank ${cep.sending_bank}, receiving bank ${cep.receiving_bank}, beneficiary account ending ${cep.beneficiary_account_ending}, amount ${amount}, tracking key (clave de rastreo) ${cep.clave_rastreo}${cep.concepto ? `, reference ${quoted(cep.concepto)}` : ''}.`;
  const check = es ? `Puedes verificar el CEP en el sitio de Banxico (${cep.check_url}).` : `You can check the CEP on Banxico's site (${cep.check_url}).`;
  // A moment may end in a period of its own ("5:00 p.m."): the sentence does not add another.
  return `${(status[String(d.status)] ?? (status.in_transit as string)).replace(/\.\.$/, '.')}\n${receipt}\n${check}`;
}

/** Context for an answer: what the plan learnt on the way (the accounts, for an insufficient-funds refusal). */
export interface AnswerContext {
  locale: Locale;
  /**
   * How a SPEI transfer's later news reach the customer: `told` (the chat pushes them when the
   * transfer settles or comes back; the default), or `ask` (the MCP door and the phone answer
   * once: the customer asks where it stands).
   */
  later?: 'told' | 'ask';
  /** The clave de rastreo of the SPEI transfer the answer is about, when the door was told it (SPEI_TRANSFER_SENT). */
  claveRastreo?: string;
  answers?: Readonly<Record<string, { detailType: string; detail: Detail }>>;
  /** The request the answer answers, when it was a money movement. */
  request?: { detailType: string; detail: Detail };
}

/** What the customer is told for a service's answer that carried the request out (`tell` tells a failure). */
function describeAnswer(answer: { detailType: string; detail: Detail }, context: AnswerContext): string {
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
    case 'LIMITS_RESPONSE': {
      const accounts = (d.accounts ?? []) as Array<AccountLike & { currency: string; per_transfer_limit: number; daily_limit: number; used_today: number; remaining_today: number }>;
      if (accounts.length === 0) return es ? 'No tienes cuentas activas de las cuales transferir.' : 'You have no active account to transfer from.';
      const lines = accounts.map((a) => {
        const left = money(a.remaining_today, a.currency, locale);
        const daily = money(a.daily_limit, a.currency, locale);
        const single = money(a.per_transfer_limit, a.currency, locale);
        return es
          ? `• ${accountName(a, locale)}: hoy puedes transferir ${left} más de tu límite diario de ${daily} (hasta ${single} por transferencia).`
          : `• ${accountName(a, locale)}: you can still transfer ${left} today of your daily limit of ${daily} (up to ${single} per transfer).`;
      });
      const payee = d.new_payee as { limit: number; currency: string; hours: number } | undefined;
      const newPayee = payee
        ? `\n${es ? `A un destinatario nuevo puedes enviarle hasta ${money(payee.limit, payee.currency, locale)} en sus primeras ${payee.hours} horas.` : `A new payee can receive up to ${money(payee.limit, payee.currency, locale)} in its first ${payee.hours} hours.`}`
        : '';
      const mtu = d.mtu as { amount: number; currency: string; udis?: number } | undefined;
      const udis = mtu?.udis === undefined ? '' : ` (${mtu.udis.toLocaleString('en-US')} UDIs)`;
      const mtuLine = mtu
        ? `\n${es ? `Tu monto transaccional (MTU) es de ${money(mtu.amount, mtu.currency, locale)}${udis}: arriba de él, una transferencia o una compra necesita tu segundo factor (tu llave de acceso).` : `Your transaction limit (MTU) is ${money(mtu.amount, mtu.currency, locale)}${udis}: above it, a transfer or a purchase needs your second factor (your passkey).`}`
        : '';
      // The day is Mexico City's (TRANSFER_LIMIT_TIMEZONE), which resets_at says as an instant.
      return `${es ? 'Tus límites de transferencia' : 'Your transfer limits'}:\n${lines.join('\n')}\n${es ? 'El límite diario se renueva a medianoche (hora de la Ciudad de México).' : 'The daily limit starts again at midnight (Mexico City time).'}${newPayee}${mtuLine}`;
    }
    case 'TRANSACTIONS_RESPONSE': {
      const entries = (d.transactions ?? d.entries ?? []) as Array<{ direction: string; amount: number; currency: string; timestamp: string; counterparty_account_id?: string; counterparty_name?: string; counterparty_bank?: string; description?: string; account_id?: string }>;
      if (entries.length === 0) return es ? 'No encontré movimientos en ese periodo.' : 'I found no transactions in that period.';
      const date = new Intl.DateTimeFormat(es ? 'es-MX' : 'en-US', { timeZone: TIME_ZONE, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
      const lines = entries.map((e) => {
        const sign = e.direction === 'debit' ? '−' : '+';
        // A SPEI payment names its other party as their bank did: their words, quoted; an account of Centli's by its ending.
        const party = theirs(e.counterparty_name);
        const where = party ? `${party}${theirs(e.counterparty_bank) ? ` (${theirs(e.counterparty_bank)})` : ''}` : e.counterparty_account_id ? maskedAccount(e.counterparty_account_id) : undefined;
        const who = where ? ` ${e.direction === 'debit' ? (es ? 'a' : 'to') : es ? 'de' : 'from'} ${where}` : '';
        const what = theirs(e.description);
        return `• ${date.format(new Date(e.timestamp))} ${sign}${money(e.amount, e.currency, locale)}${who}${what ? ` · ${what}` : ''}`;
      });
      const spent = entries.filter((e) => e.direction === 'debit');
      const byCurrency = new Map<string, number>();
      for (const e of spent) byCurrency.set(e.currency, (byCurrency.get(e.currency) ?? 0) + e.amount);
      const total = [...byCurrency].map(([currency, amount]) => money(amount, currency, locale)).join(', ');
      return `${es ? 'Tus movimientos' : 'Your transactions'}:\n${lines.join('\n')}${total ? `\n${es ? 'Gastado' : 'Spent'}: ${total}` : ''}${d.next_cursor ? `\n${es ? '(Hay más.)' : '(There are more.)'}` : ''}`;
    }
    case 'SPEI_RECEIVED': {
      // A payment from someone at another bank: their name, their bank's name and their concepto are theirs, quoted.
      const from = `${theirs(d.sender_name) ?? (es ? 'alguien' : 'someone')}${theirs(d.sender_bank) ? ` (${theirs(d.sender_bank)})` : ''}`;
      const concepto = theirs(d.concepto);
      const amount = money(Number(d.amount), String(d.currency), locale);
      const account = maskedAccount(String(d.account_id));
      return es
        ? `Recibiste ${amount} de ${from}${concepto ? `: ${concepto}` : ''}, en tu cuenta ${account}.`
        : `You received ${amount} from ${from}${concepto ? `: ${concepto}` : ''}, in your account ${account}.`;
    }
    case 'BENEFICIARIES_RESPONSE': {
      const rows = (d.beneficiaries ?? []) as BeneficiaryLike[];
      if (rows.length === 0) return es ? 'Aún no tienes beneficiarios.' : 'You have no beneficiaries yet.';
      return `${es ? 'Tus beneficiarios' : 'Your beneficiaries'}:\n${rows.map((b) => `• ${describeDestination(b, locale)}`).join('\n')}`;
    }
    case 'ALIAS_RESOLUTION_RESPONSE': {
      const candidates = (d.candidates ?? []) as BeneficiaryLike[];
      if (d.status === 'resolved') return `${String(d.alias)}: ${describeDestination(d.beneficiary as BeneficiaryLike, locale)}.`;
      const names = candidates.map((c) => `${c.name} (${c.alias})`);
      if (d.status === 'ambiguous') return say('TOOL.BENEFICIARY_AMBIGUOUS', { said: String(d.alias), candidates: names }, locale);
      return say('TOOL.BENEFICIARY_NOT_FOUND', { said: String(d.alias), suggestions: names }, locale);
    }
    case 'ACCOUNT_HOLDER_RESPONSE': {
      const account = maskedAccount(String(d.account_id));
      if (d.own === true) return es ? `La cuenta ${account} es tuya.` : `Account ${account} is yours.`;
      if (typeof d.holder_name !== 'string') return es ? `La cuenta ${account} no tiene titular registrado.` : `Account ${account} has no registered holder.`;
      return es ? `El titular registrado de la cuenta ${account} es ${d.holder_name}.` : `The registered holder of account ${account} is ${d.holder_name}.`;
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
        .map((p) => `• ${quoted(p.name)}${p.retailer_name ? ` ${es ? 'en' : 'at'} ${quoted(p.retailer_name)}` : ''}: ${money(p.price, p.currency, locale)}${p.msi_months.length ? `, ${es ? 'hasta' : 'up to'} ${Math.max(...p.msi_months)} MSI` : ''}${p.in_stock ? '' : ` — ${es ? 'agotado' : 'out of stock'}`}`)
        .join('\n')}${more ? `\n${es ? '(Hay más resultados.)' : '(There are more results.)'}` : ''}`;
    }
    case 'BENEFITS_RESPONSE': {
      const offers = (d.offers ?? []) as Array<OfferLike & { cashback: number; in_stock: boolean; promotions: Array<{ description: string }> }>;
      if (offers.length === 0) return es ? 'Nadie vende ese producto.' : 'Nobody sells that product.';
      return offers
        .map((o) => {
          const plans = o.installments.map((p) => (es ? `${p.months} MSI de ${p.formatted_monthly_amount}` : `${p.months} months of ${p.formatted_monthly_amount}`));
          return `• ${quoted(o.product_name)} ${es ? 'en' : 'at'} ${quoted(o.retailer_name)}: ${money(o.total, o.currency, locale)}${plans.length ? ` — ${plans.join(', ')}` : ''}${o.cashback ? ` — cashback ${money(o.cashback, o.currency, locale)}` : ''}${o.in_stock ? '' : ` (${es ? 'agotado' : 'out of stock'})`}`;
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
    case 'MTU_SET': {
      const mtu = d.mtu as { amount: number; currency: string };
      return es
        ? `Listo: tu monto transaccional (MTU) ahora es de ${money(mtu.amount, mtu.currency, locale)}. Arriba de él, una transferencia o una compra pedirá tu segundo factor.`
        : `Done: your transaction limit (MTU) is now ${money(mtu.amount, mtu.currency, locale)}. Above it, a transfer or a purchase will ask for your second factor.`;
    }
    case 'SPEI_TRANSFER_STARTED':
      return es ? `Tu transferencia SPEI está en proceso (${String(d.transfer_id)}); aún no se envía al otro banco.` : `Your SPEI transfer is in progress (${String(d.transfer_id)}); it has not gone to the other bank yet.`;
    case 'SPEI_TRANSFER_SENT': {
      const to = speiPayee(d.beneficiary_name, d.receiving_bank, d.to_clabe, locale);
      const amount = money(Number(d.amount), String(d.currency), locale);
      const later = context.later === 'ask' ? (es ? 'Pregúntame después si ya llegó.' : 'Ask me later whether it has arrived.') : es ? 'Te aviso cuando se liquide.' : 'I will let you know when it settles.';
      return es
        ? `Envié ${amount} por SPEI a ${to}. Clave de rastreo ${String(d.clave_rastreo)}. ${later}`
        : `I sent ${amount} by SPEI to ${to}. Tracking key (clave de rastreo) ${String(d.clave_rastreo)}. ${later}`;
    }
    case 'TRANSFER_STATUS_RESPONSE':
      return transferStatus(d, locale);
    case 'TRANSFER_COMPLETED': {
      const spei = d.spei as { clave_rastreo: string; to_clabe: string; beneficiary_name: string; receiving_bank?: string } | undefined;
      if (spei) {
        const to = speiPayee(spei.beneficiary_name, spei.receiving_bank, spei.to_clabe, locale);
        const amount = money(Number(d.amount), String(d.currency), locale);
        return es
          ? `Tu transferencia SPEI de ${amount} a ${to} se liquidó: ya está en su cuenta. Clave de rastreo ${spei.clave_rastreo}.`
          : `Your SPEI transfer of ${amount} to ${to} has settled: it is in their account. Tracking key (clave de rastreo) ${spei.clave_rastreo}.`;
      }
      return es
        ? `Listo: transferí ${money(Number(d.amount), String(d.currency), locale)} a la cuenta ${maskedAccount(String(d.to_account_id))}. Folio ${String(d.transaction_id)}.`
        : `Done: I transferred ${money(Number(d.amount), String(d.currency), locale)} to account ${maskedAccount(String(d.to_account_id))}. Reference ${String(d.transaction_id)}.`;
    }
    case 'PURCHASE_STARTED':
      return es ? `Estoy procesando tu compra (${String(d.purchase_id)}).` : `Your purchase is being processed (${String(d.purchase_id)}).`;
    case 'PURCHASE_CONFIRMED': {
      const plan = d.installments as { months: number; formatted_monthly_amount: string } | undefined;
      const what = theirs(d.product_name);
      return es
        ? `¡Compra confirmada!${what ? ` ${what}` : ''} por ${money(Number(d.total), String(d.currency), locale)}${plan ? ` a ${plan.months} meses sin intereses de ${plan.formatted_monthly_amount}` : ''}. Folio ${String(d.purchase_id)}.`
        : `Purchase confirmed!${what ? ` ${what}` : ''} for ${money(Number(d.total), String(d.currency), locale)}${plan ? ` in ${plan.months} interest-free monthly payments of ${plan.formatted_monthly_amount}` : ''}. Reference ${String(d.purchase_id)}.`;
    }
    case 'PURCHASE_STATUS_RESPONSE': {
      if (d.status === 'confirmed') return describeAnswer({ detailType: 'PURCHASE_CONFIRMED', detail: { ...d, product_name: d.product_name ?? '' } }, context);
      return es ? `Tu compra ${String(d.purchase_id)} sigue en proceso.` : `Your purchase ${String(d.purchase_id)} is still being processed.`;
    }
    default:
      return es ? 'Listo.' : 'Done.';
  }
}

/** A refusal as a service's failure event (or an error) carries it: its code, its parameters and its English text. */
export interface FailureLike {
  reason?: unknown;
  params?: unknown;
  message?: unknown;
}

/**
 * A refusal told plainly, in the customer's language: the error catalogue's text for its code
 * and parameters, with what the door knows and the service did not (the account an
 * insufficient-funds refusal is about, from the accounts the plan read). A code the catalogue
 * does not know (an event older than the code) is told by its English message, or generically.
 */
export function refusal(failure: FailureLike | RefusalCode, context: AnswerContext): string {
  const { reason, params, message } = typeof failure === 'string' ? { reason: failure, params: undefined, message: undefined } : failure;
  const code = typeof reason === 'string' ? reason : 'TOOL.FAILED';
  const given = params !== null && typeof params === 'object' && !Array.isArray(params) ? (params as Params) : {};
  // What the service found wins over what the door read earlier (a balance), but the door names the account.
  const text = refusalText(code, { ...contextParams(code, context), ...given }, context.locale);
  if (text !== undefined) return text;
  return context.locale === 'en' && typeof message === 'string' && message ? message : refusalText('TOOL.FAILED', {}, context.locale);
}

/** A refusal or question of the catalogue, in the customer's language (for the plans and the doors, which know its parameters). */
export function say<C extends RefusalCode>(code: C, params: RefusalParams<C>, locale: Locale): string {
  return refusalText(code, params, locale);
}

/**
 * What the door adds to a refusal's parameters: the source account of a payment refused for
 * funds; the payee, bank and amount of a SPEI transfer that came back, from the request it sent.
 */
function contextParams(code: string, context: AnswerContext): Params {
  const request = context.request?.detail;
  if ((code === 'SPEI.RETURNED' || code === 'SPEI.TIMED_OUT') && request && typeof request.to_clabe === 'string') {
    return { beneficiary: String(request.beneficiary_name), bank: bankName(request.to_clabe), amount: { amount: Number(request.amount), currency: String(request.currency) }, ...(context.claveRastreo ? { clave_rastreo: context.claveRastreo } : {}) };
  }
  if (code !== 'TRANSFER.INSUFFICIENT_FUNDS' && code !== 'PAYMENT.INSUFFICIENT_FUNDS') return {};
  const source = sourceOf(context);
  if (!source || typeof source.balance !== 'number' || !source.currency) return {};
  return { account: accountName(source, context.locale), available: { amount: source.balance, currency: source.currency } };
}

/** What an answer tells the customer, and whether it says the request was not carried out (the one failure test, `isFailureType`). */
export interface Told {
  failed: boolean;
  /** The refusal's code, when it failed. */
  code?: string;
  text: string;
}

/** Tells a service's answer: a failure as its refusal, a purchase that failed as its reason, anything else as what it says. */
export function tell(answer: { detailType: string; detail: Detail }, context: AnswerContext): Told {
  const d = answer.detail;
  if (isFailureType(answer.detailType)) return { failed: true, code: typeof d.reason === 'string' ? d.reason : 'TOOL.FAILED', text: refusal(d, context) };
  if (answer.detailType === 'PURCHASE_STATUS_RESPONSE' && d.status === 'failed') return { failed: true, code: typeof d.reason === 'string' ? d.reason : 'PURCHASE.FAILED', text: refusal(d, context) };
  return { failed: false, text: describeAnswer(answer, context) };
}

/** The account money would have come from, from the request and the accounts the plan read. */
function sourceOf(context: AnswerContext): (AccountLike & { balance?: number; currency?: string }) | undefined {
  const id = context.request?.detail.from_account_id ?? context.request?.detail.account_id;
  const accounts = (context.answers?.accounts?.detail.accounts ?? []) as Array<AccountLike & { balance: number; currency: string }>;
  return typeof id === 'string' ? accounts.find((a) => a.account_id === id) : undefined;
}
