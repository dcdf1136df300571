/**
 * formatMoney with its cached Intl.NumberFormat against building the formatter per call.
 * Target: at least 5x.
 */
import { formatMoney, toDecimalString } from '@centli/kit/money';
import { compare, report } from './measure';

export function run(): boolean {
  let amount = 123_456;
  const result = compare(
    'formatMoney MXN',
    [
      'new Intl.NumberFormat per call',
      () => {
        amount++;
        new Intl.NumberFormat('es-MX', { style: 'currency', currency: 'MXN', currencyDisplay: 'narrowSymbol' }).format(toDecimalString(amount, 'MXN') as unknown as number);
      },
    ],
    [
      'cached formatter',
      () => {
        amount++;
        formatMoney(amount, 'MXN');
      },
    ],
  );
  return report(result, 5);
}
