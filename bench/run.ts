/**
 * `npm run bench`: every benchmark, each printing its figures with their ratio last, then
 * bench/RESULTS.md: each figure with its baseline, the ratio and the goal, the machine's core
 * count, the date and the command.
 *
 *   npm run bench                 all of them, full size; writes bench/RESULTS.md
 *   npm run bench -- --quick      small sizes (CI): proves they run; writes .centli/bench-quick.md
 *   npm run bench -- --only a,b   only the named benchmarks; full size rewrites their sections of
 *                                 bench/RESULTS.md (every figure of a section: run all that write it)
 *
 * A missed goal is reported (in the table, with why), not hidden; in full mode the exit code is
 * 1 when one is missed, so a regression is noticed.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { stopStack, useStack, type Benchmark, type Figure } from "./harness";
import { benchmarks } from "./list";

function parse(argv: readonly string[]): { quick: boolean; only?: string[] } {
  const quick = argv.includes("--quick");
  const at = argv.indexOf("--only");
  const only =
    at >= 0 ? (argv[at + 1] ?? "").split(",").filter(Boolean) : undefined;
  return { quick, ...(only ? { only } : {}) };
}

const fmt = (n: number) =>
  Math.abs(n) >= 100
    ? Math.round(n).toLocaleString("en-US")
    : Number(n.toPrecision(3)).toString();

/** How every table is read: the head's lines after the one saying which run wrote it. */
export const HOW_TO_READ = [
  "Every ratio compares two things measured side by side in the same run, and is the printed value ÷ the printed baseline unless its name says otherwise; absolute figures are this machine’s and vary from run to run.",
  "Intervals are percentile bootstraps over the rounds (seeded, so a run repeats; bench/stats.ts), printed with the number of rounds. A goal is met only when the whole interval clears it, missed only when the whole interval misses it, and otherwise not decided, with about how many rounds would decide it (if the estimate held and the interval narrowed as 1/√rounds).",
];

export function line(figure: Figure): string {
  const base = figure.baseline
    ? ` vs ${figure.baseline.name} ${fmt(figure.baseline.value)} ${figure.unit}`
    : "";
  const ratio =
    figure.ratio === undefined
      ? ""
      : ` → ratio ${ratioText(figure)}`;
  const goal = figure.goal
    ? ` (goal ${figure.goal}: ${verdict(figure)})`
    : "";
  return `${figure.name}: ${fmt(figure.value)} ${figure.unit}${interval(figure)}${base}${ratio}${goal}`;
}

/** The verdict as printed: met, missed, or not decided with the rounds that would decide it. */
export function verdict(figure: Figure): string {
  if (!figure.goal) return "";
  if (figure.met) return "met";
  if (!figure.undecided) return "**missed**";
  return figure.roundsToDecide === undefined
    ? "not decided"
    : `not decided (≈${fmt(figure.roundsToDecide)} rounds would decide it)`;
}

const roundsText = (n: number) => `${n} round${n === 1 ? "" : "s"}`;

function interval(figure: Figure): string {
  const i = figure.interval;
  const rounds =
    i && figure.rounds !== undefined && !figure.ratioInterval
      ? `, ${roundsText(figure.rounds)}`
      : "";
  return i ? ` (${i.name} ${fmt(i.low)} to ${fmt(i.high)}${rounds})` : "";
}

/** The ratio (value ÷ baseline as printed, unless the figure's name says otherwise), with its interval. */
function ratioText(figure: Figure): string {
  if (figure.ratio === undefined) return "";
  const i = figure.ratioInterval;
  const digits = (n: number) => (Math.abs(n) >= 100 ? fmt(n) : n.toFixed(2));
  return i
    ? `${digits(figure.ratio)} (${i.name} ${digits(i.low)} to ${digits(i.high)}, ${figure.rounds === undefined ? "? rounds" : roundsText(figure.rounds)})`
    : digits(figure.ratio);
}

export function table(figures: readonly Figure[]): string {
  const out: string[] = [];
  for (const section of [...new Set(figures.map((f) => f.section))]) {
    out.push(
      `## ${section}`,
      "",
      "| figure | value | baseline (same run) | ratio | goal | |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const f of figures.filter((g) => g.section === section)) {
      const cells = [
        f.name,
        `${fmt(f.value)} ${f.unit}${interval(f)}`,
        f.baseline
          ? `${f.baseline.name}: ${fmt(f.baseline.value)} ${f.unit}`
          : "",
        ratioText(f),
        f.goal ?? "",
        verdict(f),
      ];
      out.push(`| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`);
    }
    const notes = figures.filter((g) => g.section === section && g.note);
    if (notes.length > 0)
      out.push("", ...notes.map((f) => `- *${f.name}*: ${f.note}`));
    out.push("");
  }
  return out.join("\n");
}

/**
 * RESULTS.md with the sections these figures belong to rewritten (the others kept as they were
 * written), a line saying which run rewrote them, and the closing list of missed and undecided
 * goals read again off every section's table.
 */
export function withSections(
  previous: string,
  figures: readonly Figure[],
  command: string,
  started: Date,
): string {
  const parts = previous.split(/\n(?=## )/);
  const head = (parts.shift() ?? "").trimEnd();
  const sections = parts.map((part) => {
    const title = /^## (.*)/.exec(part)?.[1] ?? "";
    // The last section also holds the closing list: it is recomputed below.
    const body = part.split(/\n(?=Missed: |Every goal was met\.|Not decided )/)[0] as string;
    return { title, body: body.trimEnd() };
  });
  const fresh = new Map(
    [...new Set(figures.map((f) => f.section))].map((section) => [
      section,
      table(figures.filter((f) => f.section === section)).trimEnd(),
    ]),
  );
  const merged = sections.map((s) => fresh.get(s.title) ?? s.body);
  for (const [title, body] of fresh)
    if (!sections.some((s) => s.title === title)) merged.push(body);
  const rewritten = `Sections ${[...fresh.keys()].map((t) => `«${t}»`).join(", ")} rewritten by \`${command}\` on ${started.toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}.`;
  // An earlier run's line stays while one of the sections it names is not rewritten now.
  const stale = (l: string) =>
    l.startsWith("Sections «") &&
    [...l.split(" rewritten by ")[0]!.matchAll(/«([^»]*)»/g)].every((m) =>
      fresh.has(m[1] ?? ""),
    );
  const headLines = head
    .split("\n")
    .filter(
      (l) =>
        !stale(l) &&
        !l.startsWith("Every ratio compares") &&
        !l.startsWith("Intervals are percentile bootstraps"),
    );
  const at = headLines.findLastIndex(
    (l) => l.startsWith("Written by") || l.startsWith("Sections «"),
  );
  headLines.splice(at + 1, 0, rewritten, ...HOW_TO_READ);
  // A run's line stays while a section it wrote is still its own: read from the newest line back,
  // a line whose sections have all been rewritten by later runs says nothing of the file any more.
  const titles = merged.map((body) => /^## (.*)/.exec(body)?.[1] ?? "");
  const sectionsOf = (l: string) =>
    l.startsWith("Written by")
      ? titles
      : [...l.split(" rewritten by ")[0]!.matchAll(/«([^»]*)»/g)].map((m) => m[1] ?? "");
  const covered = new Set<string>();
  for (let i = headLines.length - 1; i >= 0; i--) {
    const l = headLines[i] as string;
    if (!l.startsWith("Written by") && !l.startsWith("Sections «")) continue;
    const named = sectionsOf(l);
    if (named.every((t) => covered.has(t))) headLines.splice(i, 1);
    else for (const t of named) covered.add(t);
  }
  const rows = merged
    .join("\n")
    .split("\n")
    .filter((l) => l.startsWith("| "));
  const named = (verdict: string) =>
    rows
      .filter((l) => {
        const cells = l.trimEnd().split(" | ");
        const last = (cells.at(-1) ?? "").replace(/ \|$/, "");
        return last === verdict || last.startsWith(`${verdict} (`);
      })
      .map((l) => l.slice(2, l.indexOf(" | ")));
  const missed = named("**missed**");
  const undecided = named("not decided");
  const closing =
    missed.length === 0 && undecided.length === 0
      ? "Every goal was met."
      : `${missed.length > 0 ? `Missed: ${missed.join("; ")}. Each says why above.` : ""}${undecided.length > 0 ? `${missed.length > 0 ? " " : ""}Not decided (the interval straddles the goal): ${undecided.join("; ")}.` : ""}`;
  return `${headLines.join("\n")}\n\n${merged.join("\n\n")}\n\n${closing}\n`;
}

async function main(): Promise<void> {
  const { quick, only } = parse(process.argv.slice(2));
  const chosen: Benchmark[] = only
    ? benchmarks.filter((b) => only.includes(b.name))
    : benchmarks;
  if (only && chosen.length !== only.length)
    throw new Error(
      `unknown benchmark; the benchmarks are ${benchmarks.map((b) => b.name).join(", ")}`,
    );
  const figures: Figure[] = [];
  const started = new Date();
  const failed: string[] = [];
  try {
    for (const benchmark of chosen) {
      console.log(`\n▶ ${benchmark.name}${quick ? " (quick)" : ""}`);
      try {
        if (benchmark.needsStack) await useStack();
        const found = await benchmark.run({
          quick,
          log: (text) => console.log(`  ${text}`),
        });
        for (const figure of found) console.log(`  ${line(figure)}`);
        figures.push(...found);
      } catch (error) {
        // One benchmark failing does not lose the others' figures; the run still fails.
        console.error(error);
        failed.push(benchmark.name);
      }
    }
  } finally {
    await stopStack();
  }
  if (failed.length > 0) {
    console.error(`\nfailed: ${failed.join(", ")}; their sections are left as they were`);
    process.exitCode = 1;
  }
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const header = [
    "# Benchmark results",
    "",
    `Written by \`${command}\` on ${started.toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    ...HOW_TO_READ,
    "",
  ].join("\n");
  const missed = figures.filter((f) => f.goal && !f.met && !f.undecided);
  const undecided = figures.filter((f) => f.goal && f.undecided);
  const text = `${header}\n${table(figures)}\n${missed.length === 0 && undecided.length === 0 ? "Every goal was met." : ""}${missed.length > 0 ? `Missed: ${missed.map((f) => f.name).join("; ")}. Each says why above.` : ""}${undecided.length > 0 ? `${missed.length > 0 ? " " : ""}Not decided (the interval straddles the goal): ${undecided.map((f) => f.name).join("; ")}.` : ""}\n`;
  if (quick) {
    mkdirSync(".centli", { recursive: true });
    writeFileSync(join(".centli", "bench-quick.md"), text);
    console.log(
      `\nquick run: ${figures.length} figures (not claims), written to .centli/bench-quick.md`,
    );
  } else if (!only && failed.length === 0) {
    writeFileSync(join(__dirname, "RESULTS.md"), text);
    console.log(
      `\n${figures.length} figures written to bench/RESULTS.md; ${missed.length} goal(s) missed`,
    );
  } else {
    const path = join(__dirname, "RESULTS.md");
    writeFileSync(
      path,
      withSections(readFileSync(path, "utf8"), figures, command, started),
    );
    console.log(
      `\n${figures.length} figures written to their sections of bench/RESULTS.md; ${missed.length} goal(s) missed`,
    );
  }
  if (!quick && missed.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
