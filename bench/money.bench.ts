/**
 * formatMoney with its cached Intl.NumberFormat against building the formatter per call.
 * Target: at least 5x.
 */
import { formatMoney, toDecimalString } from "@centli/pure/money";
import type { Benchmark } from "./harness";
import { compare, figureOf } from "./measure";

export const formatting: Benchmark = {
  name: "formatting",
  async run({ quick }) {
    let amount = 123_456;
    const result = compare(
      "formatMoney MXN",
      [
        "new Intl.NumberFormat per call",
        () => {
          amount++;
          new Intl.NumberFormat("es-MX", {
            style: "currency",
            currency: "MXN",
            currencyDisplay: "narrowSymbol",
          }).format(toDecimalString(amount, "MXN") as unknown as number);
        },
      ],
      [
        "cached formatter",
        () => {
          amount++;
          formatMoney(amount, "MXN");
        },
      ],
      quick ? 2 : 7,
      quick ? 30 : 150,
    );
    return [figureOf(result, "In process", 5)];
  },
};
