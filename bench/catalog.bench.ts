/**
 * Catalog search: what one search reads from DynamoDB, counted at the client (bench/dynamodb-reads.ts:
 * requests on the wire, the read units DynamoDB reports as consumed, the items it evaluated),
 * for a word many products have (a hit) and a word none has (a miss), on a catalog of 10,000
 * products loaded into the local stack's DynamoDB Local.
 *
 * The candidate is the search as it is (services/marketplace: SEARCH_BUDGET, at most 10 pages
 * and 400 items evaluated per request, then a cursor); the baseline, in the same run and on the
 * same data, is the same code with the cap lifted and pages of one size (UNCAPPED), which is how
 * a search read before the cap: a miss read the whole index in one invocation. Both run the real
 * handler function (`searchCatalog`) in this process with a CatalogStore on a metered client;
 * rounds alternate which goes first. The miss is also followed through its cursors to the end,
 * to show the cap moves reads into later requests rather than adding to them.
 *
 * A sparse word (one product in 200) is searched too, as a customer waiting for a first page: the
 * calls to the service (following its cursors) and the time until the first 10 results, capped
 * against uncapped.
 *
 * `--quick`: 1,000 products, one round.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type { OutgoingEvent } from "@centli/pure/events";
import type { CatalogQuery, CatalogResponse } from "@centli/schemas";
import { CatalogStore } from "../services/marketplace/src/adapters/catalog-store";
import {
  SEARCH_BUDGET,
  searchTextFor,
  UNCAPPED,
  type ReadBudget,
} from "../services/marketplace/src/domain/catalog";
import {
  CATEGORIES,
  type Product,
} from "../services/marketplace/src/domain/product";
import { searchCatalog } from "../services/marketplace/src/app/catalog";
import {
  closeClients,
  documents,
  endpoints,
  runId,
  table,
} from "../tests/integration/support";
import { meterReads, type Reads } from "./dynamodb-reads";
import { atMost, median, type Benchmark, type Figure } from "./harness";
import { mulberry32 } from "../local/random";

const SECTION = "Catalog search";
const NAMES = [
  "Laptop",
  "Audífonos",
  "Licuadora",
  "Pantalla",
  "Consola",
  "Sofá",
  "Celular",
  "Bocina",
];
const BRANDS = ["Aurora", "Nimbus", "Quetzal", "Solaris"];
/** Every fourth product is an "Aurora": a word a search finds at once. */
const HIT = "aurora";
/** One product in 200 is an "edición ocelote": a sparse word, found a few per thousand read. */
const SPARSE = "ocelote";
const SPARSE_EVERY = 200;
/** How many results the sparse search waits for, as a customer scrolling the first page would. */
const FIRST_PAGE = 10;

/**
 * `size` products over every category, about half a kilobyte each, sold by a seeded retailer,
 * priced above anything the seed lists (so the seed's own searches read what they always did).
 */
function catalogOf(run: string, size: number): Product[] {
  const next = mulberry32(20261126);
  return Array.from({ length: size }, (_, i) => {
    const base = {
      name: `${NAMES[i % NAMES.length]} ${BRANDS[i % BRANDS.length]} modelo ${i}${i % SPARSE_EVERY === 17 ? " edición Ocelote" : ""}`,
      brand: BRANDS[i % BRANDS.length] as string,
      description: `Artículo de catálogo ${i}: garantía de un año, envío gratis a todo México, disponible en varios colores y tamaños, con factura.`,
    };
    return {
      product_id: `bench-${run}-${String(i).padStart(5, "0")}`,
      retailer_id: "ret-electromundo",
      ...base,
      category: CATEGORIES[i % CATEGORIES.length] as Product["category"],
      price: 900_000_000 + Math.floor(next() * 50_000_000),
      currency: "MXN",
      stock: 1 + Math.floor(next() * 20),
      status: "active",
      search_text: searchTextFor(base),
    };
  });
}

async function writeAll(
  requests: Record<string, unknown>[],
  clients = 8,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += 25)
    batches.push(requests.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let b = next++; b < batches.length; b = next++) {
        let pending: Record<string, unknown>[] | undefined = batches[b];
        while (pending && pending.length > 0) {
          const result = await documents().send(
            new BatchWriteCommand({
              RequestItems: { [table("products")]: pending },
            }),
          );
          pending = result.UnprocessedItems?.[table("products")] as
            Record<string, unknown>[] | undefined;
        }
      }
    }),
  );
}

interface Measured extends Reads {
  ms: number;
  products: number;
  cursor?: string;
}

export const catalog: Benchmark = {
  name: "catalog",
  needsStack: true,
  async run({ quick, log }) {
    const size = quick ? 1_000 : 10_000;
    const rounds = quick ? 1 : 5;
    const run = runId();
    const products = catalogOf(run, size);
    const client = new DynamoDBClient({
      endpoint: endpoints().dynamodb,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const meter = meterReads(client);
    const store = new CatalogStore(
      { products: table("products"), retailers: table("retailers") },
      DynamoDBDocumentClient.from(client, {
        marshallOptions: { removeUndefinedValues: true },
      }),
    );
    const now = () => new Date();
    const miss = `nohay${run}`;

    const search = async (
      budget: ReadBudget,
      fields: Partial<CatalogQuery>,
    ): Promise<Measured> => {
      meter.take();
      const started = performance.now();
      const answer = (await searchCatalog(
        {
          request_id: `bench-${run}`,
          correlation_id: `bench-${run}`,
          user_id: "user-ana",
          ...fields,
        },
        { store, now, budget },
      )) as OutgoingEvent<"CATALOG_RESPONSE">;
      const ms = performance.now() - started;
      const detail = answer.detail as CatalogResponse;
      return {
        ...meter.take(),
        ms,
        products: detail.products.length,
        ...(detail.next_cursor ? { cursor: detail.next_cursor } : {}),
      };
    };

    log(`loading ${size.toLocaleString("en-US")} products into DynamoDB Local`);
    const loadStarted = performance.now();
    await writeAll(products.map((Item) => ({ PutRequest: { Item } })));
    log(`loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);
    try {
      const samples = {
        hit: { capped: [] as Measured[], uncapped: [] as Measured[] },
        miss: { capped: [] as Measured[], uncapped: [] as Measured[] },
      };
      // One search of each first: DynamoDB Local's JVM is slow for its first requests.
      await search(SEARCH_BUDGET, { text: miss });
      await search(UNCAPPED, { text: miss });
      for (let round = 0; round < rounds; round++) {
        const order: Array<["capped" | "uncapped", ReadBudget]> = [
          ["capped", SEARCH_BUDGET],
          ["uncapped", UNCAPPED],
        ];
        if (round % 2 === 1) order.reverse();
        for (const [mode, budget] of order) {
          samples.hit[mode].push(await search(budget, { text: HIT }));
          samples.miss[mode].push(await search(budget, { text: miss }));
        }
      }

      // The miss, followed through its cursors to the end of the catalog.
      const walk: Measured[] = [];
      let cursor: string | undefined;
      do {
        walk.push(
          await search(SEARCH_BUDGET, {
            text: miss,
            ...(cursor ? { cursor } : {}),
          }),
        );
        cursor = walk.at(-1)?.cursor;
      } while (cursor && walk.length < 1_000);
      if (cursor) throw new Error("the miss did not end within 1,000 requests");

      // The sparse word: calls and time until the first page of results, following cursors.
      const firstPage = async (budget: ReadBudget) => {
        let found = 0;
        let calls = 0;
        let requests = 0;
        let ms = 0;
        let next: string | undefined;
        do {
          const m = await search(budget, {
            text: SPARSE,
            ...(next ? { cursor: next } : {}),
          });
          calls++;
          requests += m.requests;
          ms += m.ms;
          found += m.products;
          next = m.cursor;
        } while (found < FIRST_PAGE && next && calls < 1_000);
        return { found, calls, requests, ms };
      };
      const sparse = {
        capped: [] as Awaited<ReturnType<typeof firstPage>>[],
        uncapped: [] as Awaited<ReturnType<typeof firstPage>>[],
      };
      for (let round = 0; round < rounds; round++) {
        const order: Array<["capped" | "uncapped", ReadBudget]> = [
          ["capped", SEARCH_BUDGET],
          ["uncapped", UNCAPPED],
        ];
        if (round % 2 === 1) order.reverse();
        for (const [mode, budget] of order)
          sparse[mode].push(await firstPage(budget));
      }
      const sparseOf = (mode: "capped" | "uncapped") => ({
        found: median(sparse[mode].map((x) => x.found)),
        calls: median(sparse[mode].map((x) => x.calls)),
        requests: median(sparse[mode].map((x) => x.requests)),
        ms: median(sparse[mode].map((x) => x.ms)),
      });
      const sparseCapped = sparseOf("capped");
      const sparseUncapped = sparseOf("uncapped");
      log(
        `sparse "${SPARSE}" (1 in ${SPARSE_EVERY}): capped ${JSON.stringify(sparseCapped)}, uncapped ${JSON.stringify(sparseUncapped)}`,
      );

      const typical = (all: Measured[]) => ({
        requests: median(all.map((m) => m.requests)),
        readUnits: median(all.map((m) => m.readUnits)),
        scanned: median(all.map((m) => m.scanned)),
        ms: median(all.map((m) => m.ms)),
        products: median(all.map((m) => m.products)),
        cursor: all.every((m) => m.cursor !== undefined),
      });
      const hit = {
        capped: typical(samples.hit.capped),
        uncapped: typical(samples.hit.uncapped),
      };
      const missed = {
        capped: typical(samples.miss.capped),
        uncapped: typical(samples.miss.uncapped),
      };
      const sum = (key: "requests" | "readUnits" | "scanned" | "ms") =>
        walk.reduce((total, m) => total + m[key], 0);
      const catalogName = `${size.toLocaleString("en-US")} products`;
      log(
        `hit "${HIT}": capped ${JSON.stringify(hit.capped)}, uncapped ${JSON.stringify(hit.uncapped)}`,
      );
      log(
        `miss: capped ${JSON.stringify(missed.capped)}, uncapped ${JSON.stringify(missed.uncapped)}`,
      );
      log(
        `miss followed to its end: ${walk.length} requests to the service, ${sum("requests")} DynamoDB requests, ${sum("readUnits")} read units, ${sum("scanned")} items`,
      );

      const figure = (
        name: string,
        unit: string,
        value: number,
        baseline: number,
        extra: Partial<Figure> = {},
      ): Figure => ({
        section: SECTION,
        name,
        value,
        unit,
        baseline: { name: "uncapped (before the cap)", value: baseline },
        ratio: value / baseline,
        ...extra,
      });
      return [
        figure(
          `hit ("${HIT}", 1 product in 4, ${catalogName}): DynamoDB requests per search`,
          "requests",
          hit.capped.requests,
          hit.uncapped.requests,
          {
            ...atMost(hit.capped.requests / hit.uncapped.requests, 1),
            note:
              hit.capped.products === hit.uncapped.products
                ? `Both answer the same ${hit.capped.products} products${hit.capped.requests === hit.uncapped.requests ? ": the cap changes nothing for a word the first pages find" : ""}.`
                : `The capped search answered ${hit.capped.products} products, the uncapped ${hit.uncapped.products}.`,
          },
        ),
        figure(
          `hit: read units per search`,
          "RCU",
          hit.capped.readUnits,
          hit.uncapped.readUnits,
          {
            ...atMost(hit.capped.readUnits / hit.uncapped.readUnits, 1),
            note: `Consumed capacity as DynamoDB Local reports it (0.5 per 4 KB evaluated per eventually consistent query, plus the retailers' BatchGetItem); items evaluated: ${hit.capped.scanned} vs ${hit.uncapped.scanned}.`,
          },
        ),
        figure(
          `miss (a word no product has, ${catalogName}): DynamoDB requests per search`,
          "requests",
          missed.capped.requests,
          missed.uncapped.requests,
          {
            goal: `≤ ${SEARCH_BUDGET.pages} (the cap)`,
            met:
              missed.capped.requests <= SEARCH_BUDGET.pages &&
              missed.capped.cursor,
            note: `The capped search answers ${missed.capped.products} products${missed.capped.cursor ? " and a next_cursor" : " and no cursor"}; the uncapped one read ${missed.uncapped.scanned.toLocaleString("en-US")} items in one invocation.`,
          },
        ),
        figure(
          `miss: items evaluated per search`,
          "items",
          missed.capped.scanned,
          missed.uncapped.scanned,
          {
            goal: `≤ ${SEARCH_BUDGET.items} (the cap)`,
            met: missed.capped.scanned <= SEARCH_BUDGET.items,
          },
        ),
        figure(
          `miss: read units per search`,
          "RCU",
          missed.capped.readUnits,
          missed.uncapped.readUnits,
        ),
        figure(
          `miss: time per search in process, median`,
          "ms",
          missed.capped.ms,
          missed.uncapped.ms,
          {
            note: `${rounds} round(s); DynamoDB Local on this machine, so the time is only a ratio.`,
          },
        ),
        figure(
          `sparse word ("${SPARSE}", 1 product in ${SPARSE_EVERY}, ${catalogName}): calls to the service until the first ${FIRST_PAGE} results (following next_cursor)`,
          "calls",
          sparseCapped.calls,
          sparseUncapped.calls,
          {
            note: `Capped, the customer's first ${FIRST_PAGE} results take ${sparseCapped.calls} requests to the service (${sparseCapped.requests} DynamoDB requests in all) and find ${sparseCapped.found}; uncapped, ${sparseUncapped.calls} request${sparseUncapped.calls === 1 ? "" : "s"} (${sparseUncapped.requests} DynamoDB requests) finding ${sparseUncapped.found}${sparseCapped.found < FIRST_PAGE ? ` (the catalog has fewer than ${FIRST_PAGE} such products)` : ""}. Medians of ${rounds} round(s).`,
          },
        ),
        figure(
          `sparse word: time until the first ${FIRST_PAGE} results, in process, median (the service's time, all its calls together)`,
          "ms",
          sparseCapped.ms,
          sparseUncapped.ms,
          {
            note: `DynamoDB Local on this machine; a client's round trips between calls (a model turn each, on the chat) are not in it.`,
          },
        ),
        figure(
          `miss followed through its cursors to the end: read units, all requests together`,
          "RCU",
          sum("readUnits"),
          missed.uncapped.readUnits,
          {
            note: `${walk.length} requests to the service, each at most ${SEARCH_BUDGET.pages} DynamoDB requests (${sum("requests")} in all, against ${missed.uncapped.requests} in one invocation before); the cap moves reads into later requests, it does not add to them beyond each request's first, partly filled page.`,
          },
        ),
      ];
    } finally {
      await writeAll(
        products.map((p) => ({
          DeleteRequest: {
            Key: { product_id: p.product_id, retailer_id: p.retailer_id },
          },
        })),
      );
      client.destroy();
      closeClients();
    }
  },
};
