// `grade lsp`, driven over stdio by a real client (vscode-languageserver-protocol), as an editor
// drives it:
// - diagnostics after an edit of a 1,000-line .grade file (didChange → publishDiagnostics for that
//   version, debounce 0), against a warm check() of the same texts in this process, measured in
//   turn round after round; medians. Target: within 2×.
// - completion in the same file, its analysis current: median against the 10 ms budget.
// - resident memory of the server with 200 files open (the corpus of bench/corpus.js), against
//   the 150 MB budget.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { check } from "../dist/compile.js";
import { corpus } from "./corpus.js";
import { median } from "./stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** A multi grader of 60 sub-graders with their prompts, and tests: 1,000 lines or a little more. */
export function bigFile() {
  const lines = ["// A large multi grader: the language server's 1,000-line benchmark file.", "item {", "  answer: string", "  question: string", "  context: { lang: string, tags: [string] }", "}", "", 'multi "big" {', "  graders {"];
  const keys = [];
  for (let i = 0; lines.length < 930; i++) {
    const key = `g${i}`;
    keys.push(key);
    if (i % 3 === 0) {
      lines.push(`    ${key}: score_model "score ${i}" {`, '      model: "gpt-4o-2024-08-06"', "      range: [0, 10]", "      sampling_params { temperature: 0, seed: 7 }");
      lines.push('      system """', "        You grade answers. Give 10 for a complete, correct answer and 0 for a wrong one.", "        Consider the question, the reference answer and the context language.", '        """');
      lines.push('      user "Question: {{item.question}}"', '      user "Reference: {{item.answer}} ({{item.context.lang}})"', '      user "Answer: {{sample.output_text}}"', "    }");
    } else if (i % 3 === 1) {
      lines.push(`    ${key}: string_check "check ${i}" {`, "      input: sample.output_text", "      reference: item.answer", `      operation: ${["eq", "like", "ilike"][i % 3]}`, "    }");
    } else {
      lines.push(`    ${key}: text_similarity "similar ${i}" {`, "      input: sample.output_text", "      reference: item.answer", "      evaluation_metric: rouge_l", "    }");
    }
  }
  lines.push("  }", `  calculate_output: (${keys.join(" + ")}) / 100`, "}", "");
  for (let t = 0; lines.length < 1000; t++) {
    lines.push(`test "test ${t}" {`, `  sample: "answer ${t}"`, `  item { answer: "answer ${t}", question: "q", context: { lang: "en", tags: [] } }`, `  given { ${keys.filter((_, i) => i % 3 === 0).slice(0, 5).map((k) => `${k}: 5`).join(", ")} }`, "  expect: 0..1", "}", "");
  }
  return lines.join("\n");
}

async function startServer() {
  const child = spawn(process.execPath, [join(root, "bin/grade.js"), "lsp"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Map();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const key = `${p.uri}@${p.version}`;
    waiters.get(key)?.(p.diagnostics);
    waiters.delete(key);
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {}, initializationOptions: { debounceMs: 0 } });
  await connection.sendNotification(InitializedNotification.type, {});
  const diagnostics = (uri, version) => new Promise((resolve) => waiters.set(`${uri}@${version}`, resolve));
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
  const stop = async () => {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    await new Promise((resolve) => child.once("exit", resolve));
    connection.dispose();
  };
  return { connection, diagnostics, rss, stop };
}

export async function run() {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 31);
  const text = bigFile();
  const lineCount = text.split("\n").length;
  // Each edit changes one digit of the formula's divisor: a new text, the same findings.
  const edited = (round) => text.replace(") / 100", `) / ${100 + (round % 50)}`);

  const server = await startServer();
  const uri = pathToFileURL(join(root, "bench/.data/lsp-big.grade")).href;
  let version = 1;
  const opened = server.diagnostics(uri, 1);
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "grade", version, text } });
  const first = await opened;
  if (first.length) throw new Error(`the benchmark file has findings: ${JSON.stringify(first.slice(0, 3))}`);

  const lspTimes = [];
  const checkTimes = [];
  const completionTimes = [];
  // Inside a sub-grader, after `operation: `: the operations (an enum from the schema table).
  const at = text.indexOf("      operation: ");
  const before = text.slice(0, at + "      operation: ".length).split("\n");
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  // The protocol's own cost: an edit of a one-line file to its diagnostics.
  const small = pathToFileURL(join(root, "bench/.data/lsp-small.grade")).href;
  const smallText = (n) => `string_check "x": sample.output_text eq "${n}"\n`;
  const smallOpened = server.diagnostics(small, 1);
  await server.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: small, languageId: "grade", version: 1, text: smallText(0) } });
  await smallOpened;
  const roundTrips = [];
  for (let v = 2; v < rounds + 5; v++) {
    const s0 = performance.now();
    const p = server.diagnostics(small, v);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: small, version: v }, contentChanges: [{ text: smallText(v) }] });
    await p;
    if (v > 4) roundTrips.push(performance.now() - s0);
  }
  for (let round = -3; round < rounds; round++) {
    // The server: an edit, then its diagnostics.
    version++;
    const next = edited(round + 10);
    const started = performance.now();
    const published = server.diagnostics(uri, version);
    await server.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text: next }] });
    await published;
    const lspMs = performance.now() - started;
    // The baseline: check() of the same text, warm, here.
    const t0 = performance.now();
    check(next, { filename: join(root, "bench/.data/lsp-big.grade"), root });
    const checkMs = performance.now() - t0;
    // Completion, the analysis current.
    const c0 = performance.now();
    const items = await server.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    const completionMs = performance.now() - c0;
    if (!Array.isArray(items) || !items.some((i) => i.label === "ilike")) throw new Error(`completion did not offer the operations: ${JSON.stringify(items).slice(0, 200)}`);
    if (round >= 0) {
      lspTimes.push(lspMs);
      checkTimes.push(checkMs);
      completionTimes.push(completionMs);
    }
  }
  await server.stop();

  // 200 files open in one server.
  const files = corpus().slice(0, 200);
  const many = await startServer();
  await Promise.all(
    files.map((t, i) => {
      const u = pathToFileURL(join(root, `bench/.data/open-${i}.grade`)).href;
      const p = many.diagnostics(u, 1);
      void many.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: "grade", version: 1, text: t } });
      return p;
    }),
  );
  globalThis.gc?.();
  const rss = many.rss();
  const bytes = files.reduce((n, t) => n + t.length, 0);
  await many.stop();

  const lsp = median(lspTimes);
  const base = median(checkTimes);
  const completion = median(completionTimes);
  return [
    {
      name: `diagnostics after an edit of a ${lineCount}-line file vs a warm check() of it`,
      ratio: lsp / base,
      target: 2,
      detail: `${lsp.toFixed(1)} ms vs ${base.toFixed(1)} ms (medians of ${rounds}; the same round trip for a one-line file: ${median(roundTrips).toFixed(1)} ms)`,
    },
    { name: "completion in that file (analysis current) vs 10 ms", ratio: completion / 10, target: 1, detail: `${completion.toFixed(2)} ms (median of ${rounds})` },
    { name: "server RSS with 200 files open vs 150 MB", ratio: rss / 150, target: 1, detail: `${rss.toFixed(0)} MB (${(bytes / 1024).toFixed(0)} kB of .grade text)` },
  ];
}
