// Validates rendered Kubernetes manifests against the Kubernetes API schemas, offline: the schemas ship inside the
// kubernetes-models package (pinned in package-lock.json), so no cluster and no network are needed.
//
//   kubectl kustomize ../overlays/dev | node validate.mjs            prints one line per object, exits 1 on any error
//   kubectl kustomize ../overlays/dev | node validate.mjs --json     also prints the objects as one JSON array on stdout
//
// Every object must have an apiVersion and kind that kubernetes-models knows: an unknown kind is an error, never skipped.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const json = process.argv.includes("--json");
const input = readFileSync(0, "utf8");
const documents = yaml.loadAll(input).filter((d) => d !== null && d !== undefined);
const log = (line) => process.stderr.write(line + "\n");

let failures = 0;
if (documents.length === 0) {
  log("validate: no objects in the input");
  failures++;
}

for (const [index, object] of documents.entries()) {
  const where = `#${index + 1} ${object?.kind ?? "?"} ${object?.metadata?.name ?? "?"}`;
  if (typeof object?.apiVersion !== "string" || typeof object?.kind !== "string") {
    log(`FAIL ${where}: no apiVersion or kind`);
    failures++;
    continue;
  }

  let model;
  try {
    const module = await import(`kubernetes-models/${object.apiVersion}`);
    model = module[object.kind];
  } catch {
    model = undefined;
  }

  if (typeof model !== "function") {
    log(`FAIL ${where}: ${object.apiVersion} ${object.kind} is not a Kubernetes kind this validator knows`);
    failures++;
    continue;
  }

  try {
    new model(object).validate();
    log(`ok   ${where} (${object.apiVersion})`);
  } catch (error) {
    log(`FAIL ${where}: ${error.message}`);
    failures++;
  }
}

if (json) {
  process.stdout.write(JSON.stringify(documents) + "\n");
}

log(`validate: ${documents.length} objects, ${failures} invalid`);
process.exit(failures === 0 ? 0 : 1);
