/**
 * Validators compiled once at module load (what the kit does) against compiling the schema
 * for every event (what a naive handler does). Target: at least 20x.
 */
import common from "../schemas/common.schema.json";
import { detailValidator, eventSchemas } from "@centli/schemas";
import { createAjv } from "@centli/schemas/registry";
import type { Benchmark } from "./harness";
import { compare, figureOf } from "./measure";

const detail = {
  request_id: "req-1",
  correlation_id: "corr-1",
  user_id: "user-ana",
  from_account_id: "acc-ana-nomina-4821",
  to_account_id: "acc-carlos-nomina-3954",
  amount: 10000,
  currency: "MXN",
};

export const validation: Benchmark = {
  name: "validation",
  async run({ quick }) {
    const once = detailValidator("TRANSFER_REQUEST");
    const result = compare(
      "validate TRANSFER_REQUEST",
      [
        "compiled per event",
        () => {
          const ajv = createAjv({ schemas: [common] });
          if (!ajv.compile(eventSchemas.TRANSFER_REQUEST)(detail))
            throw new Error("invalid");
        },
      ],
      [
        "compiled once",
        () => {
          if (once(detail)) throw new Error("invalid");
        },
      ],
      quick ? 2 : 5,
      quick ? 20 : 100,
    );
    return [figureOf(result, "In process", 20)];
  },
};
