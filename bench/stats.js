// Helpers of the benchmarks (not a benchmark: run.js picks up *.bench.js files only).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The median of some numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs the measures (each a function returning {ms, rss, ...}) in turn, `rounds` times, so load on
 * the machine hits them alike; keeps each one's fastest time (the least disturbed run) and highest RSS.
 */
export function interleaved(rounds, measures) {
  const out = measures.map(() => undefined);
  for (let round = 0; round < rounds; round++) {
    measures.forEach((fn, i) => {
      const r = fn();
      const prev = out[i];
      out[i] = !prev ? r : { ...(r.ms < prev.ms ? r : prev), rss: Math.max(r.rss, prev.rss) };
    });
  }
  return out;
}

// Printed at exit by every child: its peak resident set size, in kB.
const reportRss = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS="+process.resourceUsage().maxRSS+"\\n"))`;

/** A child `node <args>` in the repository: its time, peak RSS (MB) and output; it must exit `expectCode`. */
export function measure(args, expectCode) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", reportRss, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== expectCode) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}${result.stdout}`);
  const rss = Number(/MAXRSS=(\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1024;
  return { ms, rss, stdout: result.stdout };
}

/**
 * The baseline of the dataset benchmarks, a module to run with `node --input-type=module -e`:
 * stream the file in 64 kB chunks, split lines, JSON.parse each (the fastest plain way measured).
 */
export const streamingParse = (file) => `
import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
const decoder = new StringDecoder("utf8");
let carry = "", rows = 0;
const take = (chunk) => {
  let from = 0, nl;
  while ((nl = chunk.indexOf("\\n", from)) !== -1) {
    const line = carry + chunk.slice(from, nl);
    carry = "";
    if (line.trim()) { JSON.parse(line); rows++; }
    from = nl + 1;
  }
  carry += chunk.slice(from);
};
for await (const chunk of createReadStream(${JSON.stringify(file)}, { highWaterMark: 1 << 16 })) take(decoder.write(chunk));
take(decoder.end());
if (carry.trim()) { JSON.parse(carry); rows++; }
console.log(rows);
`;
