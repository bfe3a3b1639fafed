// Writes examples/agreement/: a dataset of support answers (rows.jsonl), people's 1–5 ratings of
// them (human.jsonl), and the results of the score_model judge helpfulness-judge.grade on the
// rows (judge-results.jsonl), graded by `grade eval` against a stand-in judge model served on
// loopback: its answers are the table below (no network, the same file every time).
//
//   npm run build && node scripts/agreement-example.js
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, "examples", "agreement");

const topics = [
  ["How do I reset my password?", "Click “Forgot password” on the sign-in page and follow the link we email you.", "Try signing in again later.", "Passwords cannot be reset; create a new account."],
  ["Where do I download my invoices?", "Settings → Billing → Invoices, then Download next to each month.", "Invoices are in your account somewhere.", "We only send invoices by post."],
  ["Can I change my plan mid-month?", "Yes: Settings → Plan; the change is prorated on your next invoice.", "Plans can be changed.", "Plan changes take effect only on January 1st."],
  ["How do I add a teammate?", "Admin → Members → Invite, enter their email; they get a link valid for 7 days.", "Ask your admin.", "Each account is for one person only; teams are not supported."],
  ["Why was I charged twice?", "One charge is a pending authorisation that drops within 3 days; if both settle, reply and we refund.", "Charges sometimes repeat.", "You were not charged twice."],
  ["How do I export my data?", "Settings → Privacy → Export: you get a ZIP of JSON files by email within an hour.", "There is an export feature.", "Data export is only available to enterprise customers."],
  ["Is there a dark mode?", "Yes: Preferences → Appearance → Dark, or follow the system setting.", "We have themes.", "No, and there are no plans for one."],
  ["How do I cancel?", "Settings → Plan → Cancel; you keep access until the end of the paid period.", "Contact us to cancel.", "Cancellation requires 90 days' written notice."],
  ["Can I use it offline?", "The desktop app works offline and syncs when you reconnect; the web app needs a connection.", "Partly.", "Yes, everything works offline, including sharing."],
  ["How do I enable two-factor sign-in?", "Security → Two-factor → Set up, scan the QR code with an authenticator app.", "It is in the settings.", "Two-factor sign-in is enabled for everyone automatically."],
  ["What file types can I upload?", "PDF, PNG, JPEG, DOCX and CSV, up to 100 MB each.", "Most common types.", "Only TXT files are accepted."],
  ["How do I contact a human?", "Reply “agent” in this chat, or call +1 555 0100 on weekdays 9–17.", "We are here to help.", "There is no human support."],
];

// People's ratings (good, vague, wrong answers) and the judge's. The judge agrees on the good
// answers, is a point kind to the vague ones, and is fooled by some confident wrong answers:
// what `grade agree` is there to find.
const human = { good: [5, 5, 4, 5, 5, 4, 5, 5, 4, 5, 5, 4], vague: [2, 2, 3, 2, 1, 2, 2, 3, 2, 2, 2, 1], wrong: [1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1] };
const judge = { good: [5, 5, 5, 5, 4, 4, 5, 5, 4, 5, 5, 5], vague: [3, 2, 3, 3, 2, 3, 2, 3, 3, 2, 3, 2], wrong: [1, 2, 4, 1, 3, 4, 1, 5, 2, 1, 1, 4] };

const rows = [];
const labels = [];
const scores = new Map();
let n = 0;
topics.forEach(([question, ...answers], t) => {
  ["good", "vague", "wrong"].forEach((kind, k) => {
    const ref = `T-${String(++n).padStart(2, "0")}`;
    rows.push({ id: ref, item: { ref, question }, sample: answers[k] });
    labels.push({ id: ref, score: human[kind][t], kind });
    scores.set(ref, judge[kind][t]);
  });
});

writeFileSync(join(dir, "rows.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
writeFileSync(join(dir, "human.jsonl"), labels.map((r) => JSON.stringify(r)).join("\n") + "\n");

const server = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const text = JSON.stringify(JSON.parse(body).messages);
    const ref = /Ticket (T-\d\d)/.exec(text)?.[1];
    const content = JSON.stringify({ steps: [{ description: "compare the answer with the question", conclusion: "rated" }], result: scores.get(ref) });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ id: "x", object: "chat.completion", model: "stand-in-judge", choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }], usage: { prompt_tokens: 80, completion_tokens: 20, total_tokens: 100 } }));
  });
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/v1`;
const out = join(dir, "judge-results.jsonl");
rmSync(out, { force: true });
// Asynchronously: a synchronous spawn would block the stand-in server.
const run = await new Promise((resolve) => {
  {
    const p = spawn(process.execPath, [join(root, "bin", "grade.js"), "eval", "examples/agreement/helpfulness-judge.grade", "--data", "examples/agreement/rows.jsonl", "-o", "examples/agreement/judge-results.jsonl", "--model-base-url", url, "-c", "1", "--no-progress"], { cwd: root, stdio: "inherit" });
    p.on("exit", (code) => resolve(code));
  }
});
server.close();
// Rows finish in order with -c 1; the execution times are the machine's: zeroed for a stable file.
const lines = readFileSync(out, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
for (const l of lines) if ("execution_time" in l) l.execution_time = 0.001;
writeFileSync(out, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
console.log(`grade eval exited ${run}; wrote ${rows.length} rows to examples/agreement/`);
