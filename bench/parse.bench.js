// Parse time stays linear in input size: for each kind of input, the cost per kilobyte at
// 10 MB against the cost per kilobyte at 100 kB of the same kind, measured in the same run.
// A linear parser keeps the ratio near 1; quadratic behaviour shows as ratios of 10 and more.
import { check } from "../dist/compile.js";

const KB = 1024;

/** Repeats `unit(i)` until the text reaches `bytes`, between `head` and `tail`. */
function build(bytes, head, unit, tail) {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const u = unit(i);
    parts.push(u);
    size += u.length;
  }
  parts.push(tail);
  return parts.join("");
}

const kinds = {
  "many messages": (n) => build(n, 'score_model "s" {\n  model: "m"\n', (i) => `  user "message ${i} about {{item.a}} and {{sample.output_text}}"\n`, "}\n"),
  "one long line": (n) => build(n, 'score_model "s" { model: "m", user "', (i) => `word${i % 10} `, '" }\n'),
  "big block string": (n) => build(n, 'python "p" {\n  source: """\n    def grade(sample, item):\n        return 1.0\n', (i) => `    x${i} = ${i}\n`, '    """\n}\n'),
  "deep nesting (256 levels, repeated)": (n) =>
    build(n, 'python "p" {\n  source: "def grade(s, i): return 1"\n', (i) => `  f${i}: ${"[".repeat(250)}1${"]".repeat(250)}\n`, "}\n"),
  "many errors": (n) => build(n, "", (i) => `string_check "x${i}" { input: , operation eq ]\n`, ""),
  "random tokens": (n) => build(n, 'python "p" ', (i) => ["{ ", "} ", "[ ", ": ", '"s" ', "name ", "12 ", "item.a ", "( ", ") "][(i * 7919) % 10], ""),
};

function msPerKb(text, rounds) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    // Each measure starts from a collected heap (npm run bench passes --expose-gc), so one case's
    // garbage is not charged to the next.
    globalThis.gc?.();
    const t = performance.now();
    check(text);
    best = Math.min(best, performance.now() - t);
  }
  return { perKb: best / (text.length / KB), ms: best };
}

export async function run() {
  const rows = [];
  for (const [name, make] of Object.entries(kinds)) {
    const small = msPerKb(make(100 * KB), 5);
    const sizes = [1 * KB, 10 * KB, 1024 * KB].map((n) => `${(n / KB).toFixed(0)} kB ${msPerKb(make(n), 3).ms.toFixed(1)} ms`);
    // Three runs at 10 MB: the large runs are the noisy ones (their time is mostly collecting
    // a heap of hundreds of megabytes).
    const large = msPerKb(make(10 * 1024 * KB), 3);
    rows.push({
      name: `${name}: cost per kB at 10 MB vs at 100 kB`,
      ratio: large.perKb / small.perKb,
      target: 2,
      detail: `${sizes.join(", ")}, 100 kB ${small.ms.toFixed(1)} ms, 10 MB ${large.ms.toFixed(0)} ms`,
    });
  }
  return rows;
}
