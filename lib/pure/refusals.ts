/**
 * The error catalogue: every refusal Centli gives (and every question a tool call ends with
 * instead of acting), declared once, with its stable code, its parameters and what the customer
 * is told in Spanish and in English. Services raise them (their errors.ts classes name a code and
 * pass its parameters; the *_FAILED event carries code, parameters and the English text as its
 * `message`); every front door tells them in the customer's language from the code and the
 * parameters alone. No text is ever made by parsing another text.
 *
 * Parameters are plain JSON (strings, integers, money as `{ amount, currency }` in minor units,
 * lists of strings), so they travel in an event's `params` and are formatted here, per language.
 * A door may add what it knows and a service does not (the name of the customer's account for
 * an insufficient-funds refusal); every parameter a service does not always know is optional.
 * Pure.
 */
import type { Money } from './money';
import { listOf, momentOf, moneyOf, type Locale } from './locale';
import { quoted } from './quoted';

/** What a text may name: JSON values only, so they travel in events. */
export type ParamValue = string | number | boolean | Money | readonly string[];
export type Params = Readonly<Record<string, ParamValue | undefined>>;

interface Entry<P extends Params> {
  es: (p: P) => string;
  en: (p: P) => string;
}

type None = Record<string, never>;
const entry = <P extends Params = None>(texts: Entry<P>): Entry<P> => texts;

// Money and lists, as each language writes them.
const es = { money: (m: Money) => moneyOf(m, 'es'), list: (items: readonly string[]) => listOf(items, 'es'), moment: (iso: string) => momentOf(iso, 'es') };
const en = { money: (m: Money) => moneyOf(m, 'en'), list: (items: readonly string[]) => listOf(items, 'en'), moment: (iso: string) => momentOf(iso, 'en') };

/** The rule a name or an alias broke. */
type TextRule = { rule: 'length'; min: number; max: number } | { rule: 'characters' };

const NO_MONEY_ES = 'No se movió dinero.';
const NO_MONEY_EN = 'No money moved.';

/** Insufficient funds, with the account and what it has when the door or the service knows them. */
const insufficientFunds = (what: { es: string; en: string }) =>
  entry<{ account?: string; available?: Money }>({
    es: (p) => `No tienes saldo suficiente${p.available ? `: tu ${p.account ?? 'cuenta'} tiene ${es.money(p.available)} disponibles` : ''}. ${what.es}`,
    en: (p) => `You do not have enough funds${p.available ? `: your ${p.account ?? 'account'} has ${en.money(p.available)} available` : ''}. ${what.en}`,
  });

export const refusals = {
  // --- Any request ---------------------------------------------------------------------------
  // The problem is the schema's own wording (field names are the contract's, in English either way),
  // except for a rule the catalogue words in each language: a transfer's concepto (SPEI's rule).
  'REQUEST.INVALID': entry<{ field?: string; problem?: string; rule?: 'concepto'; max?: number }>({
    es: (p) =>
      p.rule === 'concepto'
        ? `Datos no válidos: el concepto (${p.field ?? 'description'}) debe tener de 1 a ${p.max ?? 40} caracteres, solo letras (con acentos), dígitos, espacios y . , -. No se hizo nada.`
        : `Datos no válidos: ${p.problem ?? p.field ?? 'la solicitud'}. No se hizo nada.`,
    en: (p) =>
      p.rule === 'concepto'
        ? `Invalid request: the concepto (${p.field ?? 'description'}) must be 1 to ${p.max ?? 40} characters of letters (accents included), digits, spaces and . , - only. Nothing was done.`
        : `Invalid request: ${p.problem ?? p.field ?? 'the request'}. Nothing was done.`,
  }),
  'REQUEST.ID_REUSED': entry({
    es: () => 'Ese identificador de solicitud ya se usó para otra solicitud; no se hizo nada. Usa uno nuevo para una solicitud nueva.',
    en: () => 'This request_id was already used for a different request; nothing was done. Use a new request_id for a new request.',
  }),
  // `gateway`: a tool call that reached a target without a customer the Centli gateway vouched for.
  'AUTH.UNAUTHENTICATED': entry<{ expired?: boolean; gateway?: boolean }>({
    es: (p) =>
      p.gateway
        ? 'Esta herramienta solo actúa para un cliente que la puerta de Centli autenticó; no se hizo nada.'
        : p.expired
          ? 'Tu sesión expiró; vuelve a iniciar sesión.'
          : 'Tu sesión no es válida; vuelve a iniciar sesión.',
    en: (p) =>
      p.gateway
        ? 'This tool acts only for a customer the Centli gateway has authenticated; nothing was done.'
        : p.expired
          ? 'Your session has expired; please sign in again.'
          : 'Your session is not valid; please sign in again.',
  }),

  // An MCP client's token does not grant what the call needs (MCP authorization's step-up flow):
  // `scope` is what to authorize again with.
  'AUTH.INSUFFICIENT_SCOPE': entry<{ scope?: string }>({
    es: (p) => `Esta aplicación no tiene permiso para esto${p.scope ? ` (necesita ${p.scope})` : ''}; no se hizo nada. Autorízala de nuevo con ese permiso.`,
    en: (p) => `This application is not allowed to do this${p.scope ? ` (it needs ${p.scope})` : ''}; nothing was done. Authorize it again with that permission.`,
  }),

  // A customer's requests in one minute went over what any door serves them (lib/pure/rate-limit.ts).
  'RATE.LIMITED': entry<{ retry_after?: number; kind?: 'read' | 'write' }>({
    es: (p) =>
      `${p.kind === 'write' ? 'Ya pediste muchas operaciones en este minuto' : 'Recibí muchas solicitudes tuyas en este minuto'}; no se hizo nada. Intenta de nuevo ${p.retry_after ? `en ${p.retry_after} ${p.retry_after === 1 ? 'segundo' : 'segundos'}` : 'en un minuto'}.`,
    en: (p) =>
      `${p.kind === 'write' ? 'You have asked for many operations this minute' : 'I have had many requests from you this minute'}; nothing was done. Please try again ${p.retry_after ? `in ${p.retry_after} ${p.retry_after === 1 ? 'second' : 'seconds'}` : 'in a minute'}.`,
  }),

  // --- Tool calls: what a plan needs, or cannot do --------------------------------------------
  'TOOL.UNKNOWN': entry<{ tool?: string }>({
    es: (p) => `No conozco la herramienta ${p.tool ? `«${p.tool}»` : 'pedida'}; no se hizo nada.`,
    en: (p) => `Unknown tool ${p.tool ? `"${p.tool}"` : '(none named)'}; nothing was done.`,
  }),
  'TOOL.UNAVAILABLE': entry({
    es: () => 'El servicio no está disponible en este momento; no se hizo nada. Intenta de nuevo.',
    en: () => 'The service is unavailable right now; nothing was done. Please try again.',
  }),
  'TOOL.OUTCOME_UNKNOWN': entry({
    es: () => 'No pude confirmar si se completó. Revisa tus movimientos (o el estado de la compra) antes de pedirlo de nuevo.',
    en: () => 'I could not confirm whether it went through. Check your transactions (or the purchase status) before asking again.',
  }),
  'TOOL.FAILED': entry({ es: () => 'No se pudo hacer.', en: () => 'That could not be done.' }),
  'TOOL.AMOUNT_REQUIRED': entry({ es: () => '¿Cuánto quieres transferir?', en: () => 'How much would you like to transfer?' }),
  'TOOL.AMOUNT_UNCLEAR': entry<{ said: string }>({
    es: (p) => `No entendí la cantidad${p.said ? ` «${p.said}»` : ''}. Dímela en números, por ejemplo «$1,500.50».`,
    en: (p) => `I did not understand the amount${p.said ? ` "${p.said}"` : ''}. Please say it in digits, e.g. "$1,500.50".`,
  }),
  'TOOL.DESTINATION_REQUIRED': entry({
    es: () => '¿A quién le transfiero? Dime el nombre o el alias de tu beneficiario.',
    en: () => 'Who should I send it to? Tell me your beneficiary’s name or alias.',
  }),
  'TOOL.BENEFICIARY_AMBIGUOUS': entry<{ said: string; candidates: readonly string[] }>({
    es: (p) => `¿A cuál${p.said ? ` ${firstWord(p.said)}` : ''}?${p.candidates?.length ? ` ${es.list(p.candidates)}.` : ''}`,
    en: (p) => `Which${p.said ? ` ${firstWord(p.said)}` : ' one'}?${p.candidates?.length ? ` ${en.list(p.candidates)}.` : ''}`,
  }),
  'TOOL.BENEFICIARY_NOT_FOUND': entry<{ said: string; suggestions?: readonly string[] }>({
    es: (p) => `No encontré ${p.said ? `a «${p.said}»` : 'a esa persona'} entre tus beneficiarios.${p.suggestions?.length ? ` ¿Quisiste decir ${es.list(p.suggestions)}?` : ''}`,
    en: (p) => `I could not find ${p.said ? `"${p.said}"` : 'that person'} among your beneficiaries.${p.suggestions?.length ? ` Did you mean ${en.list(p.suggestions)}?` : ''}`,
  }),
  // SPEI moves pesos only: a beneficiary at another bank cannot be paid in any other currency.
  'TOOL.SPEI_PESOS_ONLY': entry<{ beneficiary?: string; bank?: string; currency?: string }>({
    es: (p) => `${p.beneficiary ?? 'Ese beneficiario'} tiene su cuenta en ${p.bank ?? 'otro banco'}: solo puedo enviarle pesos (MXN) por SPEI${p.currency ? `, no ${p.currency}` : ''}. ${NO_MONEY_ES}`,
    en: (p) => `${p.beneficiary ?? 'That beneficiary'} banks at ${p.bank ?? 'another bank'}: I can only send them pesos (MXN) by SPEI${p.currency ? `, not ${p.currency}` : ''}. ${NO_MONEY_EN}`,
  }),
  // Asked where a SPEI transfer to someone stands who banks at Centli (paid at once, no SPEI).
  'TOOL.NOT_A_SPEI_PAYEE': entry<{ beneficiary?: string }>({
    es: (p) => `${p.beneficiary ?? 'Ese beneficiario'} tiene cuenta en Centli: las transferencias a su cuenta llegan al instante, no por SPEI. Tus movimientos las muestran.`,
    en: (p) => `${p.beneficiary ?? 'That beneficiary'} banks at Centli: transfers to them arrive at once, not by SPEI. Your transactions show them.`,
  }),
  'TOOL.NO_SOURCE_ACCOUNT': entry<{ currency: string }>({
    es: (p) => `No tienes una cuenta activa${p.currency ? ` en ${p.currency}` : ''} de la cual pagar.`,
    en: (p) => `You have no active ${p.currency ? `${p.currency} ` : ''}account to pay from.`,
  }),
  'TOOL.PRODUCT_REQUIRED': entry({ es: () => '¿Qué producto quieres comprar?', en: () => 'Which product would you like to buy?' }),
  'TOOL.PRODUCT_NOT_FOUND': entry<{ words: string; partly?: boolean }>({
    es: (p) =>
      p.partly
        ? `No encontré ${p.words ? `«${p.words}»` : 'ese producto'} en la parte del catálogo que revisé. Dime la categoría o un nombre más preciso y lo busco de nuevo.`
        : `No encontré ${p.words ? `«${p.words}»` : 'ese producto'} en el catálogo.`,
    en: (p) =>
      p.partly
        ? `I could not find ${p.words ? `"${p.words}"` : 'that product'} in the part of the catalog I searched. Tell me its category or a more precise name and I will look again.`
        : `I could not find ${p.words ? `"${p.words}"` : 'that product'} in the catalog.`,
  }),
  'TOOL.PRODUCT_AMBIGUOUS': entry<{ words: string }>({
    es: (p) => `Encontré varios productos${p.words ? ` para «${p.words}»` : ''}. ¿Cuál quieres?`,
    en: (p) => `I found several products${p.words ? ` for "${p.words}"` : ''}. Which one would you like?`,
  }),
  'TOOL.CARD_AMBIGUOUS': entry({ es: () => '¿Cuál tarjeta?', en: () => 'Which card?' }),
  'TOOL.NO_CARD': entry<{ operation: 'lock' | 'unlock' | 'replace' }>({
    es: (p) => ({ lock: 'No tienes tarjetas activas que bloquear.', unlock: 'No tienes tarjetas bloqueadas que desbloquear.', replace: 'No tienes tarjetas que reemplazar.' })[p.operation] ?? 'No tienes tarjetas para eso.',
    en: (p) => ({ lock: 'You have no active card to lock.', unlock: 'You have no locked card to unlock.', replace: 'You have no card to replace.' })[p.operation] ?? 'You have no card for that.',
  }),

  // --- Confirmations ---------------------------------------------------------------------------
  'CONFIRMATION.DECLINED': entry({ es: () => 'Cancelado: no se hizo nada.', en: () => 'Cancelled: nothing was done.' }),
  'CONFIRMATION.INVALID': entry({
    es: () => 'Esa confirmación no es válida. No se hizo nada; pídelo de nuevo para obtener una nueva.',
    en: () => 'That confirmation is not valid. Nothing was done; ask again to get a new one.',
  }),
  'CONFIRMATION.EXPIRED': entry({
    es: () => 'La confirmación expiró; pídemelo de nuevo y te muestro los datos otra vez.',
    en: () => 'That confirmation expired; ask me again and I will show you the details again.',
  }),
  'CONFIRMATION.USED': entry({ es: () => 'Esa confirmación ya se usó; no se volvió a hacer nada.', en: () => 'That confirmation was already used; nothing was done again.' }),
  'CONFIRMATION.ALTERED': entry({
    es: () => 'Esa confirmación era para otra cosa: los datos cambiaron desde que se mostraron. No se hizo nada; pídelo de nuevo.',
    en: () => 'That confirmation was for something else: the details changed since they were shown. Nothing was done; ask again.',
  }),

  // --- Approvals (the customer's yes on Centli's page) ----------------------------------------
  'APPROVAL.INVALID': entry({
    es: () => 'Esa aprobación no existe. No se hizo nada; pídelo de nuevo para obtener otra.',
    en: () => 'That approval does not exist. Nothing was done; ask again to get a new one.',
  }),
  'APPROVAL.ALTERED': entry({
    es: () => 'Esa aprobación era para otra cosa: los datos no son los que se aprobaron. No se hizo nada; pídelo de nuevo.',
    en: () => 'That approval was for something else: the details are not the ones approved. Nothing was done; ask again.',
  }),
  'APPROVAL.EXPIRED': entry({
    es: () => 'La aprobación expiró sin usarse. No se hizo nada; pídelo de nuevo.',
    en: () => 'The approval expired unused. Nothing was done; ask again.',
  }),
  'APPROVAL.DECIDED': entry({ es: () => 'Esa aprobación ya se decidió; no se puede cambiar.', en: () => 'That approval was decided already; it cannot change.' }),
  'APPROVAL.DECLINED': entry({ es: () => 'El cliente lo rechazó: no se hizo nada.', en: () => 'The customer declined it: nothing was done.' }),
  // Above the customer's MTU, approving needs the customer's passkey, checked by the approvals API (services/mcp/src/app/passkeys.ts).
  'APPROVAL.STEP_UP_REQUIRED': entry({
    es: () => 'Para aprobarlo hace falta confirmar tu identidad con tu llave de acceso (passkey). No se hizo nada.',
    en: () => 'Approving it needs you to confirm it is you with your passkey. Nothing was done.',
  }),
  // Adding a passkey needs a sign-in of the last few minutes (services/mcp/src/domain/passkeys.ts).
  'PASSKEY.FRESH_SIGN_IN_REQUIRED': entry({
    es: () => 'Para agregar una llave de acceso, vuelve a iniciar sesión. No se agregó nada.',
    en: () => 'To add a passkey, sign in again first. Nothing was added.',
  }),
  'PASSKEY.NONE': entry({
    es: () => 'Aún no tienes una llave de acceso: agrega una para confirmar operaciones por encima de tu monto transaccional.',
    en: () => 'You have no passkey yet: add one to confirm operations above your transaction limit.',
  }),

  // --- Core Banking ----------------------------------------------------------------------------
  'TRANSFER.SAME_ACCOUNT': entry({
    es: () => `La cuenta de origen y la de destino son la misma. ${NO_MONEY_ES}`,
    en: () => `The source and destination accounts are the same. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.INVALID_AMOUNT': entry({
    es: () => `El monto debe ser un número entero positivo de centavos. ${NO_MONEY_ES}`,
    en: () => `The amount must be a positive whole number of centavos. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.AMOUNT_OVER_LIMIT': entry<{ limit: Money }>({
    es: (p) => `El monto rebasa tu límite por transferencia${p.limit ? ` de ${es.money(p.limit)}` : ''}. ${NO_MONEY_ES}`,
    en: (p) => `The amount is over the per-transfer limit${p.limit ? ` of ${en.money(p.limit)}` : ''}. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.DAILY_LIMIT_EXCEEDED': entry<{ limit: Money }>({
    es: (p) => `Esta transferencia rebasaría tu límite diario${p.limit ? ` de ${es.money(p.limit)}` : ''}. ${NO_MONEY_ES}`,
    en: (p) => `This transfer would take the account over its daily limit${p.limit ? ` of ${en.money(p.limit)}` : ''}. ${NO_MONEY_EN}`,
  }),
  // A payee the customer saved (or paid by account number) less than 24 hours ago.
  'TRANSFER.NEW_PAYEE_LIMIT': entry<{ limit?: Money; until?: string }>({
    es: (p) =>
      `Por seguridad, a un destinatario nuevo puedes enviarle${p.limit ? ` hasta ${es.money(p.limit)}` : ' poco'} en sus primeras 24 horas${p.until ? `; podrás enviarle más a partir del ${es.moment(p.until)}` : ''}. ${NO_MONEY_ES}`,
    en: (p) => `For your security, a new payee can receive${p.limit ? ` up to ${en.money(p.limit)}` : ' only a little'} in its first 24 hours${p.until ? `; you can send more from ${en.moment(p.until)}` : ''}. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.ACCOUNT_NOT_FOUND': entry({
    es: () => `Esa cuenta de origen no es tuya. ${NO_MONEY_ES}`,
    en: () => `The source account is not one of your accounts. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.ACCOUNT_INACTIVE': entry({
    es: () => `Tu cuenta de origen no está activa. ${NO_MONEY_ES}`,
    en: () => `Your source account is not active and cannot send money. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.INSUFFICIENT_FUNDS': insufficientFunds({ es: NO_MONEY_ES, en: NO_MONEY_EN }),
  'TRANSFER.DESTINATION_NOT_FOUND': entry({
    es: () => `La cuenta de destino no existe. ${NO_MONEY_ES}`,
    en: () => `The destination account does not exist. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.DESTINATION_INACTIVE': entry({
    es: () => `La cuenta de destino no puede recibir dinero ahora. ${NO_MONEY_ES}`,
    en: () => `The destination account cannot receive money right now. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.CURRENCY_MISMATCH': entry({
    es: () => `La moneda no coincide con la de la cuenta. ${NO_MONEY_ES}`,
    en: () => `The currency does not match the account’s. ${NO_MONEY_EN}`,
  }),
  // Above the customer's MTU (CNBV's monto transaccional del usuario) without a fresh second factor.
  'TRANSFER.SECOND_FACTOR_REQUIRED': entry<{ mtu?: Money }>({
    es: (p) => `El monto rebasa tu monto transaccional (MTU)${p.mtu ? ` de ${es.money(p.mtu)}` : ''}: hay que autorizarlo con tu segundo factor (tu llave de acceso) en la página de aprobación. ${NO_MONEY_ES}`,
    en: (p) => `The amount is above your transaction limit (MTU)${p.mtu ? ` of ${en.money(p.mtu)}` : ''}: it must be approved with your second factor (your passkey) on the approval page. ${NO_MONEY_EN}`,
  }),
  // --- SPEI transfers out (services/core-banking, sagas/spei-transfer.asl.yml) ----------------------
  // A CLABE of Centli's own bank code is paid by an internal transfer, never through SPEI.
  'TRANSFER.OWN_BANK_CLABE': entry({
    es: () => `Esa CLABE es de una cuenta Centli: se paga con una transferencia entre cuentas Centli, no por SPEI. ${NO_MONEY_ES}`,
    en: () => `That CLABE is a Centli account's: it is paid by a transfer between Centli accounts, not by SPEI. ${NO_MONEY_EN}`,
  }),
  'TRANSFER.INVALID_CLABE': entry({
    es: () => `Esa CLABE tiene un dígito verificador incorrecto; revísala por si hay un error de dedo. ${NO_MONEY_ES}`,
    en: () => `That CLABE has a wrong check digit; check it for a typo. ${NO_MONEY_EN}`,
  }),
  // The receiving bank returned the order (devuelta): the money held in transit was given back.
  // Told at a door with what it knows of the request (the payee, its clave de rastreo) when it knows it.
  'SPEI.RETURNED': entry<{ bank?: string; return_reason?: string; amount?: Money; beneficiary?: string; clave_rastreo?: string }>({
    es: (p) =>
      `${p.beneficiary ? `Tu transferencia SPEI a ${p.beneficiary} regresó. ` : ''}${p.bank ?? 'El banco destino'} la devolvió${p.return_reason === 'cuenta_inexistente' ? ': la cuenta no existe' : p.return_reason ? ` (${p.return_reason.replaceAll('_', ' ')})` : ''}. Te regresé ${p.amount ? es.money(p.amount) : 'el dinero'}${p.beneficiary ? '; ya está de vuelta en tu cuenta' : ''}.${p.clave_rastreo ? ` Clave de rastreo ${p.clave_rastreo}.` : ''}`,
    en: (p) =>
      `${p.beneficiary ? `Your SPEI transfer to ${p.beneficiary} came back. ` : ''}${p.bank ?? 'The receiving bank'} returned it${p.return_reason === 'cuenta_inexistente' ? ': the account does not exist' : p.return_reason ? ` (${p.return_reason.replaceAll('_', ' ')})` : ''}. I gave you back ${p.amount ? en.money(p.amount) : 'the money'}${p.beneficiary ? '; it is back in your account' : ''}.${p.clave_rastreo ? ` Tracking key ${p.clave_rastreo}.` : ''}`,
  }),
  // No result from the SPEI participant in time: the money held in transit was given back.
  'SPEI.TIMED_OUT': entry<{ bank?: string; amount?: Money; beneficiary?: string; clave_rastreo?: string }>({
    es: (p) =>
      `${p.beneficiary ? `Tu transferencia SPEI a ${p.beneficiary} no se completó. ` : ''}${p.bank ?? 'El banco destino'} no confirmó la transferencia a tiempo. Te regresé ${p.amount ? es.money(p.amount) : 'el dinero'}${p.beneficiary ? ', ya está de vuelta en tu cuenta' : ''}; puedes intentarlo de nuevo.${p.clave_rastreo ? ` Clave de rastreo ${p.clave_rastreo}.` : ''}`,
    en: (p) =>
      `${p.beneficiary ? `Your SPEI transfer to ${p.beneficiary} did not go through. ` : ''}${p.bank ?? 'The receiving bank'} did not confirm the transfer in time. I gave you back ${p.amount ? en.money(p.amount) : 'the money'}${p.beneficiary ? ', it is back in your account' : ''}; you can try again.${p.clave_rastreo ? ` Tracking key ${p.clave_rastreo}.` : ''}`,
  }),
  // The SPEI saga could not hold the money (a fault, not a refusal of the customer's): nothing moved, and a late hold is refused.
  'TRANSFER.FAILED': entry({
    es: () => `No pude enviar la transferencia en este momento. ${NO_MONEY_ES} Intenta de nuevo.`,
    en: () => `We could not send the transfer just now. ${NO_MONEY_EN} Please try again.`,
  }),
  'TRANSFER_STATUS.NOT_FOUND': entry({ es: () => 'No encontré una transferencia SPEI tuya con esos datos.', en: () => 'I found no SPEI transfer of yours matching that.' }),
  'TRANSACTIONS.ACCOUNT_NOT_FOUND': entry({ es: () => 'Esa cuenta no es tuya.', en: () => 'That account is not one of your accounts.' }),
  'TRANSACTIONS.INVALID_CURSOR': entry({
    es: () => 'Esa página no corresponde a esta consulta; empieza de nuevo sin ella.',
    en: () => 'The cursor does not belong to this query; start again without it.',
  }),
  'TRANSACTIONS.INVALID_RANGE': entry({ es: () => 'El inicio del periodo es posterior a su fin.', en: () => 'The start of the date range is after its end.' }),
  'BALANCE.ACCOUNT_NOT_FOUND': entry({ es: () => 'Esa cuenta no es tuya.', en: () => 'That account is not one of your accounts.' }),
  'LIMITS.ACCOUNT_NOT_FOUND': entry({ es: () => 'Esa cuenta no es tuya.', en: () => 'That account is not one of your accounts.' }),
  // Raising the MTU needs the second factor; lowering it never does.
  'MTU.SECOND_FACTOR_REQUIRED': entry<{ mtu?: Money }>({
    es: (p) => `Para subir tu monto transaccional (MTU)${p.mtu ? `, hoy de ${es.money(p.mtu)},` : ''} hay que autorizarlo con tu segundo factor (tu llave de acceso) en la página de aprobación. No se cambió nada.`,
    en: (p) => `Raising your transaction limit (MTU)${p.mtu ? `, now ${en.money(p.mtu)},` : ''} must be approved with your second factor (your passkey) on the approval page. Nothing was changed.`,
  }),
  'PAYEE.ACCOUNT_NOT_FOUND': entry({ es: () => 'No existe una cuenta de Centli con ese número. No se hizo nada.', en: () => 'There is no Centli account with that number. Nothing was done.' }),
  'PAYMENT.ACCOUNT_NOT_FOUND': entry({
    es: () => 'La cuenta de cargo no es tuya; no se te cobró nada.',
    en: () => 'The account to charge is not one of your accounts; you were not charged.',
  }),
  'PAYMENT.ACCOUNT_INACTIVE': entry({ es: () => 'La cuenta de cargo no está activa; no se te cobró nada.', en: () => 'The account to charge is not active; you were not charged.' }),
  'PAYMENT.CURRENCY_MISMATCH': entry({
    es: () => 'La cuenta de cargo no maneja la moneda de la compra; no se te cobró nada.',
    en: () => 'The account to charge does not hold the currency of the purchase; you were not charged.',
  }),
  'PAYMENT.INSUFFICIENT_FUNDS': insufficientFunds({ es: 'No se te cobró nada.', en: 'You were not charged.' }),

  // --- CRM -------------------------------------------------------------------------------------
  'BENEFICIARY.INVALID_NAME': entry<TextRule>({
    es: (p) => (p.rule === 'length' ? `El nombre debe tener de ${p.min} a ${p.max} caracteres.` : 'El nombre solo puede tener letras, dígitos, espacios y . , \' & -.'),
    en: (p) => (p.rule === 'length' ? `The name must be ${p.min} to ${p.max} characters long.` : "The name may hold letters, digits, spaces and . , ' & - only."),
  }),
  'BENEFICIARY.INVALID_ALIAS': entry<TextRule>({
    es: (p) => (p.rule === 'length' ? `El alias debe tener de ${p.min} a ${p.max} caracteres.` : "El alias solo puede tener letras (con acentos), dígitos, espacios y . ' -, y al menos una letra."),
    en: (p) => (p.rule === 'length' ? `The alias must be ${p.min} to ${p.max} characters long.` : "The alias may hold letters (with accents), digits, spaces and . ' - only, and at least one letter."),
  }),
  'BENEFICIARY.DUPLICATE_ALIAS': entry<{ alias?: string }>({
    es: (p) => `Ya tienes un beneficiario${p.alias ? ` llamado «${p.alias}»` : ' con ese alias'}; elige otro alias.`,
    en: (p) => `You already have a beneficiary called ${p.alias ? `"${p.alias}"` : 'that'}; choose another alias.`,
  }),
  'BENEFICIARY.INVALID_DESTINATION': entry<{ given: 'both' | 'none' }>({
    es: (p) => (p.given === 'both' ? 'Da una cuenta Centli o una CLABE, no las dos.' : 'Da el número de una cuenta Centli o una CLABE de 18 dígitos.'),
    en: (p) => (p.given === 'both' ? 'Give either an account_id or a CLABE, not both.' : 'Give the account_id of a Centli account or an 18-digit CLABE.'),
  }),
  'BENEFICIARY.INVALID_CLABE': entry<{ problem?: 'characters' | 'length' | 'check_digit' }>({
    es: (p) =>
      p.problem
        ? {
            characters: 'La CLABE solo puede tener dígitos.',
            length: 'La CLABE debe tener exactamente 18 dígitos.',
            check_digit: 'Esa CLABE tiene un dígito verificador incorrecto; revísala por si hay un error de dedo.',
          }[p.problem]
        : 'Esa CLABE no es válida; revisa sus 18 dígitos.',
    en: (p) =>
      p.problem
        ? { characters: 'The CLABE must contain digits only.', length: 'The CLABE must have exactly 18 digits.', check_digit: 'The CLABE has a wrong check digit; check it for a typo.' }[p.problem]
        : 'That CLABE is not valid; check its 18 digits.',
  }),
  'BENEFICIARY.ACCOUNT_NOT_FOUND': entry({ es: () => 'No existe una cuenta Centli con ese número.', en: () => 'There is no Centli account with that id.' }),
  'ALIAS.EMPTY': entry({ es: () => 'Ese alias no tiene letras ni dígitos que buscar.', en: () => 'The alias has no letters or digits to look for.' }),
  'BENEFICIARIES.INVALID_CURSOR': entry({
    es: () => 'Esa página no corresponde a esta lista; empieza de nuevo sin ella.',
    en: () => 'The cursor does not belong to this list; start again without it.',
  }),

  // --- Marketplace -----------------------------------------------------------------------------
  'CATALOG.INVALID_CURSOR': entry({
    es: () => 'Esa página no corresponde a esta búsqueda; empieza de nuevo sin ella.',
    en: () => 'The cursor does not belong to this search; start again without it.',
  }),
  'CATALOG.INVALID_PRICE_RANGE': entry({ es: () => 'El precio mínimo es mayor que el máximo.', en: () => 'The lowest price is above the highest price.' }),
  'BENEFITS.PRODUCT_NOT_FOUND': entry({ es: () => 'Ese producto no está a la venta.', en: () => 'That product is not for sale.' }),
  'PURCHASE.PRODUCT_NOT_FOUND': entry({ es: () => 'Ese producto no está a la venta; no se te cobró nada.', en: () => 'That retailer does not sell that product; you were not charged.' }),
  // A product's and a retailer's names are the retailer's words: quoted (./quoted).
  'PURCHASE.OUT_OF_STOCK': entry<{ product?: string }>({
    es: (p) => (p.product ? `${quoted(p.product)} está agotado por ahora.` : 'Ese producto se agotó; no se te cobró nada.'),
    en: (p) => (p.product ? `${quoted(p.product)} is out of stock for now.` : 'That product sold out; you were not charged.'),
  }),
  'PURCHASE.INSTALLMENTS_NOT_AVAILABLE': entry<{ retailer?: string; product?: string; total?: Money; months?: number; offered?: readonly string[] }>({
    es: (p) =>
      p.retailer && p.product && p.total && p.months !== undefined
        ? `${quoted(p.retailer)} no ofrece ${p.months} meses sin intereses para ${quoted(p.product)} a ${es.money(p.total)}. ${p.offered?.length ? `Puede ser a ${es.list(p.offered)} meses.` : 'Solo de contado.'}`
        : 'La tienda no ofrece esos meses sin intereses para esta compra; no se te cobró nada.',
    en: (p) =>
      p.retailer && p.product && p.total && p.months !== undefined
        ? `${quoted(p.retailer)} does not offer ${p.months} interest-free months for ${quoted(p.product)} at ${en.money(p.total)}. ${p.offered?.length ? `It can be ${en.list(p.offered)} months.` : 'Only paid at once.'}`
        : 'The retailer does not offer those interest-free months for this purchase; you were not charged.',
  }),
  // The purchase would now cost other than the total the customer approved; `total` is what it costs now.
  'PURCHASE.PRICE_CHANGED': entry<{ total?: Money }>({
    es: (p) => `El precio cambió desde que lo aprobaste${p.total ? `: ahora es ${es.money(p.total)}` : ''}. No se te cobró nada; pídemelo de nuevo para ver el precio actual.`,
    en: (p) => `The price changed since you approved it${p.total ? `: it is now ${en.money(p.total)}` : ''}. You were not charged; ask again to see the current price.`,
  }),
  'PURCHASE.SECOND_FACTOR_REQUIRED': entry<{ mtu?: Money }>({
    es: (p) => `La compra rebasa tu monto transaccional (MTU)${p.mtu ? ` de ${es.money(p.mtu)}` : ''} y hay que autorizarla con tu segundo factor (tu llave de acceso) en la página de aprobación. No se te cobró nada y el producto quedó libre.`,
    en: (p) => `The purchase is above your transaction limit (MTU)${p.mtu ? ` of ${en.money(p.mtu)}` : ''} and must be approved with your second factor (your passkey) on the approval page. You were not charged and the product was released.`,
  }),
  'PURCHASE.RESERVATION_ERROR': entry({
    es: () => 'No pudimos apartar el producto en este momento. No se te cobró nada; intenta de nuevo.',
    en: () => 'We could not reserve the product just now. Nothing was charged; please try again.',
  }),
  'PURCHASE.PAYMENT_ERROR': entry({
    es: () => 'No pudimos hacer el cargo en este momento. No se te cobró nada y el producto quedó libre; intenta de nuevo.',
    en: () => 'We could not charge the account just now. Nothing was charged and the product was released; please try again.',
  }),
  'PURCHASE.CONFIRMATION_ERROR': entry({
    es: () => 'No pudimos completar la compra. Se te devolvió el cargo y el producto quedó libre; intenta de nuevo.',
    en: () => 'We could not complete the purchase. The charge was refunded and the product released; please try again.',
  }),
  'PURCHASE.FAILED': entry({
    es: () => 'La compra no se realizó; no se te cobró ni se apartó nada.',
    en: () => 'The purchase did not go through; nothing was charged or reserved.',
  }),
  'PURCHASE.NOT_FOUND': entry({ es: () => 'No tienes una compra con ese folio.', en: () => 'You have no purchase with that id.' }),

  // --- Cards -----------------------------------------------------------------------------------
  'CARD.CUSTOMER_NOT_FOUND': entry({
    es: () => 'No encontramos tu perfil de cliente, así que no se puede consultar ni cambiar ninguna tarjeta.',
    en: () => 'We could not find your customer profile, so no card can be looked up or changed.',
  }),
  'CARD.CUSTOMER_INACTIVE': entry({
    es: () => 'Tu perfil de cliente está suspendido, así que no se pueden cambiar tus tarjetas; contáctanos, por favor.',
    en: () => 'Your customer profile is suspended, so your cards cannot be changed; please contact us.',
  }),
  'CARD.CARD_REQUIRED': entry({ es: () => 'Dime cuál tarjeta: sus últimos cuatro dígitos.', en: () => 'Say which card: give its card_id or its last four digits.' }),
  'CARD.NOT_FOUND': entry<{ last_four?: string }>({
    es: (p) => `No encontré ${p.last_four ? `una tarjeta tuya con terminación ${p.last_four}` : 'esa tarjeta entre las tuyas'}.`,
    en: (p) => `I could not find ${p.last_four ? `a card of yours ending in ${p.last_four}` : 'that card among yours'}.`,
  }),
  'CARD.AMBIGUOUS': entry<{ last_four?: string }>({
    es: (p) => `Tienes más de una tarjeta con terminación ${p.last_four ?? 'igual'}; dime cuál.`,
    en: (p) => `You have more than one card ending in ${p.last_four ?? 'those digits'}; tell me which one.`,
  }),
  'CARD.ALREADY_ACTIVE': entry<{ last_four?: string }>({
    es: (p) => `Tu tarjeta${p.last_four ? ` con terminación ${p.last_four}` : ''} ya está activa; no hice nada.`,
    en: (p) => `Your card${p.last_four ? ` ending in ${p.last_four}` : ''} is already active; nothing was done.`,
  }),
  'CARD.CLOSED': entry<{ last_four?: string }>({
    es: (p) => `${p.last_four ? `Tu tarjeta con terminación ${p.last_four}` : 'Esa tarjeta'} ya fue cancelada o reemplazada y no se puede volver a usar.`,
    en: (p) => `${p.last_four ? `Your card ending in ${p.last_four}` : 'That card'} was cancelled or replaced and can never be used again.`,
  }),
  // A lost card's lock whose answer was lost: it may have gone through, so "nothing was done" would be untrue; asking again locks it (or finds it locked).
  'CARD.LOCK_UNCONFIRMED': entry({
    es: () => 'No pude confirmar que tu tarjeta quedó bloqueada. Pídeme de nuevo que la bloquee para asegurarte.',
    en: () => 'I could not confirm that your card is locked. Ask me again to lock it, to be sure.',
  }),
  'CARD.ADDRESS_REQUIRED': entry({
    es: () => 'No tenemos una dirección registrada para enviarte la tarjeta nueva; dime a dónde enviarla.',
    en: () => 'We have no address on file to send the new card to; give a delivery_address.',
  }),

  // --- The telephone's caller check (services/voice): what the caller hears instead of the bot ---
  // An unknown number hears nothing about any account, not even whether the number is known.
  'VOICE.UNKNOWN_CALLER': entry({
    es: () => 'Lo siento, no puedo atenderte desde este número. Llama desde el teléfono que registraste con nosotros o usa la aplicación.',
    en: () => 'Sorry, I cannot help you from this number. Please call from the phone you registered with us, or use the app.',
  }),
  // The bot's code hook could not verify the caller the flow handed it (no token, a changed one, another call's): it acts for nobody.
  'VOICE.UNVERIFIED': entry({
    es: () => 'Lo siento, no pude confirmar quién llama, así que no puedo atenderte en esta llamada. Vuelve a llamar o usa la aplicación.',
    en: () => 'Sorry, I could not confirm who is calling, so I cannot help you on this call. Please call again or use the app.',
  }),
  'VOICE.WRONG_PIN': entry<{ attempts_left?: number }>({
    es: (p) => `Ese NIP no es correcto.${p.attempts_left ? ` ${p.attempts_left === 1 ? 'Te queda un intento' : `Te quedan ${p.attempts_left} intentos`}.` : ''}`,
    en: (p) => `That PIN is not correct.${p.attempts_left ? ` You have ${p.attempts_left === 1 ? 'one try' : `${p.attempts_left} tries`} left.` : ''}`,
  }),
  'VOICE.LOCKED': entry<{ locked_until?: string }>({
    es: (p) => `Por tu seguridad, este teléfono quedó bloqueado por varios NIP incorrectos. Intenta de nuevo ${p.locked_until ? `después del ${es.moment(p.locked_until)}` : 'en quince minutos'}, o usa la aplicación.`,
    en: (p) => `For your security, this phone is locked after several wrong PINs. Please try again ${p.locked_until ? `after ${en.moment(p.locked_until)}` : 'in fifteen minutes'}, or use the app.`,
  }),
} as const;

/** "a mi hermano" → "hermano": the word a question about several candidates repeats. */
function firstWord(said: string): string {
  return said.replace(/^(a |to )?(mi |my |el |la )?/i, '').split(/\s+/)[0] ?? said;
}

export type RefusalCode = keyof typeof refusals;

/** The parameters a refusal's texts name. */
export type RefusalParams<C extends RefusalCode> = Parameters<(typeof refusals)[C]['es']>[0];

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && Object.hasOwn(refusals, code);
}

/**
 * What the customer is told for a refusal, in their language. `params` may come off an event
 * (untyped JSON): a text reads only the parameters it declares, and a missing one leaves out
 * what it would have said.
 */
export function refusalText<C extends RefusalCode>(code: C, params: RefusalParams<C>, locale: Locale): string;
export function refusalText(code: string, params: Params | undefined, locale: Locale): string | undefined;
export function refusalText(code: string, params: unknown, locale: Locale): string | undefined {
  if (!isRefusalCode(code)) return undefined;
  const texts = refusals[code] as unknown as Entry<Params>;
  return texts[locale]((params ?? {}) as Params);
}
