/**
 * formatMoney, which writes pesos without Intl (lib/pure/money.ts: the first Intl object of a
 * process loads ICU's data, a cold start's cost), against what it did before: a cached
 * Intl.NumberFormat given the same decimal string. Target: no slower (at least 1x), so the cold
 * start's saving costs nothing warm.
 */
import { formatMoney, toDecimalString } from "@centli/pure/money";
import type { Benchmark } from "./harness";
import { compare, figureOf } from "./measure";

export const formatting: Benchmark = {
  name: "formatting",
  async run({ quick }) {
    let amount = 123_456;
    const cached = new Intl.NumberFormat("es-MX", {
      style: "currency",
      currency: "MXN",
      currencyDisplay: "narrowSymbol",
    });
    const result = compare(
      "formatMoney MXN",
      [
        "a cached Intl.NumberFormat, as before",
        () => {
          amount++;
          void `${cached.format(toDecimalString(amount, "MXN") as unknown as number)} MXN`;
        },
      ],
      [
        "written without Intl",
        () => {
          amount++;
          formatMoney(amount, "MXN");
        },
      ],
      quick ? 2 : 7,
      quick ? 30 : 150,
    );
    return [figureOf(result, "In process", 1)];
  },
};
