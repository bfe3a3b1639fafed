// The gradelang extension: registers the .grade language (package.json) and starts the project's
// `grade lsp` as its language server, over stdio, for .grade files and grader JSON files.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

/** The server command: the setting, else the workspace's own grade, else `grade` on the PATH. */
function serverCommand() {
  const configured = vscode.workspace.getConfiguration("gradelang").get("server.command", []);
  if (Array.isArray(configured) && configured.length > 0) return { command: configured[0], args: configured.slice(1) };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const local = path.join(folder.uri.fsPath, "node_modules", ".bin", process.platform === "win32" ? "grade.cmd" : "grade");
    if (fs.existsSync(local)) return { command: local, args: ["lsp"] };
  }
  return { command: process.platform === "win32" ? "grade.cmd" : "grade", args: ["lsp"] };
}

async function activate(context) {
  const config = vscode.workspace.getConfiguration("gradelang");
  const { command, args } = serverCommand();
  const run = { command, args, transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
  const target = config.get("target", "");
  const dataset = config.get("dataset", "");
  const jsonGraders = config.get("jsonGraders", ["**/*.grader.json"]);
  client = new LanguageClient(
    "gradelang",
    "gradelang",
    { run, debug: run },
    {
      documentSelector: [{ language: "grade" }, ...jsonGraders.map((pattern) => ({ language: "json", pattern }))],
      initializationOptions: { ...(target ? { target } : {}), ...(dataset ? { dataset } : {}) },
    },
  );
  context.subscriptions.push(
    vscode.commands.registerCommand("gradelang.restartServer", async () => {
      await client?.restart();
    }),
  );
  try {
    await client.start();
  } catch (error) {
    void vscode.window.showErrorMessage(
      `gradelang: could not start \`${[command, ...args].join(" ")}\` (${error instanceof Error ? error.message : String(error)}). ` +
        "Install gradelang in the workspace (npm install --save-dev gradelang) or set gradelang.server.command.",
    );
  }
}

async function deactivate() {
  await client?.stop();
}

module.exports = { activate, deactivate };
