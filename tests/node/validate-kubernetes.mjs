#!/usr/bin/env node
// Checks Kubernetes manifests as `kubectl apply --validate=strict` would, without a cluster:
//   node tests/node/validate-kubernetes.mjs deploy/kubernetes/*.yaml
// Every YAML document is checked against the API schema of its apiVersion and kind (kubernetes-models: types,
// enums, required fields, integer formats) and strictly: a field the schema does not describe is an error, as the
// API server's strict field validation says. A few rules the API server enforces beyond its schema are checked
// too, and so are the video2tfrecord workers' own invariants (--worker-count = completions, --jobs = cpu request).
// Prints "ok: FILE: Kind/name" per document, or "FILE: Kind/name: path: message (line N)" per error; exits 1 on any
// error, 2 on a usage error.
import { readFile } from "node:fs/promises";
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";

/** Checks every document of every file; returns the exit code. */
async function main() {
    const files = process.argv.slice(2);
    if (files.length === 0 || files.some((f) => f.startsWith("-"))) {
        console.error("usage: validate-kubernetes.mjs FILE...");
        return 2;
    }

    let failed = false;
    for (const file of files) {
        let text;
        try {
            text = await readFile(file, "utf8");
        } catch (error) {
            console.log(`${file}: cannot read: ${error.message}`);
            failed = true;
            continue;
        }

        const lines = new LineCounter();
        // YAML 1.1, as kubectl reads manifests (sigs.k8s.io/yaml): `yes`, `on` and `off` are booleans there, so
        // `value: yes` in an env entry is refused by the API server and must be refused here too.
        const documents = parseAllDocuments(text, { version: "1.1", lineCounter: lines, uniqueKeys: true, merge: true });
        let number = 0;
        for (const document of documents) {
            number++;
            const where = (offset) => (offset === undefined ? "" : ` (line ${lines.linePos(offset).line})`);
            if (document.errors.length > 0) {
                for (const error of document.errors) {
                    // The parser's message already says where ("… at line 18, column 20:").
                    console.log(`${file}: document ${number}: ${error.message.split("\n")[0].replace(/:$/, "")}`);
                }
                failed = true;
                continue;
            }

            const manifest = document.toJS({ maxAliasCount: 100 });
            if (manifest === null || manifest === undefined) {
                continue; // an empty document (a trailing ---): kubectl skips it too
            }

            const name = manifest?.metadata?.name ?? manifest?.metadata?.generateName;
            const title = `${manifest?.kind ?? "?"}/${name ?? "?"}`;
            const problems = await check(manifest);
            if (problems.length === 0) {
                console.log(`ok: ${file}: ${title}`);
                continue;
            }

            failed = true;
            for (const problem of problems) {
                console.log(`${file}: ${title}: ${dotted(problem.path)}: ${problem.message}${where(offsetOf(document, problem.path))}`);
            }
        }
    }

    return failed ? 1 : 0;
}

/** Every problem of one manifest: [{ path: [segments], message }]. */
async function check(manifest) {
    if (typeof manifest !== "object" || Array.isArray(manifest)) {
        return [{ path: [], message: "a manifest must be a mapping" }];
    }

    const problems = [];
    for (const field of ["apiVersion", "kind"]) {
        if (typeof manifest[field] !== "string" || manifest[field] === "") {
            problems.push({ path: [field], message: "required" });
        }
    }

    if (problems.length > 0) {
        return problems;
    }

    const model = await modelFor(manifest.apiVersion, manifest.kind);
    if (typeof model === "string") {
        return [{ path: ["apiVersion"], message: model }];
    }

    if (!manifest.metadata?.name && !manifest.metadata?.generateName) {
        problems.push({ path: ["metadata", "name"], message: "required (kubectl apply needs a name)" });
    }

    // The schema's validator reads each field it knows; one it never read is unknown to the API (see Reads).
    const reads = new Reads();
    try {
        model.prototype.validate.call(reads.watch(manifest));
    } catch (error) {
        if (!Array.isArray(error.errors)) {
            throw error;
        }

        for (const e of error.errors) {
            const allowed = e.params?.allowedValues ? `: ${e.params.allowedValues.join(", ")}` : "";
            problems.push({ path: pointer(e.instancePath), message: `${e.message}${allowed}` });
        }
    }

    reads.unknownFields(manifest, [], problems);
    apiServerRules(manifest, problems);
    workerRules(manifest, problems);
    return problems;
}

/**
 * The model class of an apiVersion and kind (its prototype's validate runs the compiled JSON schema), or a message
 * saying why there is none.
 */
async function modelFor(apiVersion, kind) {
    if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion)) {
        return `not an apiVersion: "${apiVersion}"`;
    }

    let group;
    try {
        group = await import(`kubernetes-models/${apiVersion}`);
    } catch {
        return `no schema for apiVersion "${apiVersion}" (kubernetes-models knows the built-in API groups only)`;
    }

    const model = Object.values(group).find((m) => m?.apiVersion === apiVersion && m?.kind === kind);
    return model ?? `no kind "${kind}" in apiVersion "${apiVersion}"`;
}

/**
 * Records which fields of which objects a validator reads. The compiled schema reads every property it declares
 * (present or not) and lists the keys of a map (labels, resources.requests); an object it read from but did not
 * list is a strict object, and its other keys are unknown fields. An object it never looked into is free-form for
 * the schema (or already refused by a type error) and is not checked.
 */
class Reads {
    #uses = new WeakMap();
    #proxies = new WeakMap();

    watch(value) {
        if (value === null || typeof value !== "object") {
            return value;
        }

        let proxy = this.#proxies.get(value);
        if (proxy === undefined) {
            const use = { read: new Set(), listed: false };
            this.#uses.set(value, use);
            proxy = new Proxy(value, {
                get: (target, key) => {
                    if (typeof key === "string") {
                        use.read.add(key);
                    }

                    return this.watch(Reflect.get(target, key));
                },
                has: (target, key) => {
                    if (typeof key === "string") {
                        use.read.add(key);
                    }

                    return Reflect.has(target, key);
                },
                ownKeys: (target) => {
                    use.listed = true;
                    return Reflect.ownKeys(target);
                },
            });
            this.#proxies.set(value, proxy);
        }

        return proxy;
    }

    unknownFields(value, path, problems) {
        if (Array.isArray(value)) {
            value.forEach((item, i) => this.unknownFields(item, [...path, i], problems));
            return;
        }

        const use = value !== null && typeof value === "object" ? this.#uses.get(value) : undefined;
        if (use === undefined) {
            return;
        }

        const strict = !use.listed && use.read.size > 0;
        for (const key of Object.keys(value)) {
            if (strict && !use.read.has(key)) {
                problems.push({ path: [...path, key], message: `unknown field "${key}"` });
            } else {
                this.unknownFields(value[key], [...path, key], problems);
            }
        }
    }
}

/** What the API server refuses beyond the schema, for the kinds deploy/ uses. */
function apiServerRules(manifest, problems) {
    const spec = manifest.spec ?? {};
    if (manifest.apiVersion === "batch/v1" && manifest.kind === "Job") {
        if (spec.backoffLimitPerIndex !== undefined && spec.completionMode !== "Indexed") {
            problems.push({ path: ["spec", "backoffLimitPerIndex"], message: "requires completionMode: Indexed" });
        }

        if (spec.completionMode === "Indexed" && spec.completions === undefined) {
            problems.push({ path: ["spec", "completions"], message: "required when completionMode is Indexed" });
        }

        if (spec.maxFailedIndexes !== undefined) {
            if (spec.backoffLimitPerIndex === undefined) {
                problems.push({ path: ["spec", "maxFailedIndexes"], message: "requires backoffLimitPerIndex" });
            } else if (Number.isInteger(spec.completions) && spec.maxFailedIndexes > spec.completions) {
                problems.push({ path: ["spec", "maxFailedIndexes"], message: `must be at most completions (${spec.completions})` });
            }
        }

        const restart = spec.template?.spec?.restartPolicy;
        if (restart !== "Never" && restart !== "OnFailure") {
            problems.push({ path: ["spec", "template", "spec", "restartPolicy"], message: "a Job's pods need Never or OnFailure" });
        }

        if (spec.podFailurePolicy !== undefined && restart !== "Never") {
            problems.push({ path: ["spec", "template", "spec", "restartPolicy"], message: "podFailurePolicy requires restartPolicy: Never" });
        }

        const containers = new Set((spec.template?.spec?.containers ?? []).map((c) => c?.name));
        (spec.podFailurePolicy?.rules ?? []).forEach((rule, i) => {
            const named = rule?.onExitCodes?.containerName;
            if (named !== undefined && !containers.has(named)) {
                problems.push({ path: ["spec", "podFailurePolicy", "rules", i, "onExitCodes", "containerName"], message: `no container named "${named}"` });
            }

            if (rule?.action === "FailIndex" && spec.backoffLimitPerIndex === undefined) {
                problems.push({ path: ["spec", "podFailurePolicy", "rules", i, "action"], message: "FailIndex requires backoffLimitPerIndex" });
            }
        });
    }

    if (manifest.apiVersion === "apps/v1" && ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(manifest.kind)) {
        const wanted = spec.selector?.matchLabels ?? {};
        const labels = spec.template?.metadata?.labels ?? {};
        for (const [key, value] of Object.entries(wanted)) {
            if (labels[key] !== value) {
                problems.push({ path: ["spec", "selector", "matchLabels", key], message: "does not match spec.template.metadata.labels" });
            }
        }
    }
}

/**
 * The invariants of a video2tfrecord worker Job: `--worker-count` equals the Job's completions (else shards are
 * lost or `--worker-index auto` is out of range) and `--jobs` equals the cpu request (else the worker is throttled or
 * idle).
 */
function workerRules(manifest, problems) {
    if (manifest.apiVersion !== "batch/v1" || manifest.kind !== "Job") {
        return;
    }

    (manifest.spec?.template?.spec?.containers ?? []).forEach((container, i) => {
        const args = (container?.args ?? []).map(String);
        const value = (option) => {
            const at = args.indexOf(option);
            return at >= 0 ? args[at + 1] : undefined;
        };
        if (!args.includes("convert")) {
            return;
        }

        const path = ["spec", "template", "spec", "containers", i, "args"];
        const count = value("--worker-count");
        if (count !== undefined && Number(count) !== manifest.spec.completions) {
            problems.push({ path, message: `--worker-count ${count} differs from spec.completions ${manifest.spec.completions}` });
        }

        if (value("--worker-index") === "auto" && manifest.spec.completionMode !== "Indexed") {
            problems.push({ path, message: "--worker-index auto needs completionMode: Indexed (it reads JOB_COMPLETION_INDEX)" });
        }

        const jobs = value("--jobs");
        const cpu = container?.resources?.requests?.cpu;
        const cores = (q) => (String(q).endsWith("m") ? Number(String(q).slice(0, -1)) / 1000 : Number(q));
        if (jobs !== undefined && cpu !== undefined && Number(jobs) !== cores(cpu)) {
            problems.push({ path: ["spec", "template", "spec", "containers", i, "resources", "requests", "cpu"], message: `cpu request ${cpu} differs from --jobs ${jobs}` });
        }
    });
}

/** A JSON pointer ("/spec/template/0") as path segments. */
function pointer(text) {
    return text === "" ? [] : text.slice(1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** Path segments as kubectl prints them: spec.template.spec.containers[0].args, metadata.labels[app.kubernetes.io/name]. */
function dotted(path) {
    if (path.length === 0) {
        return "(document)";
    }

    return path.map((s, i) => (/^[0-9]+$|[./]/.test(String(s)) ? `[${s}]` : `${i === 0 ? "" : "."}${s}`)).join("");
}

/** Where a path is in the YAML source: the key of the last field (or the item), else its nearest parent. */
function offsetOf(document, path) {
    let node = document.contents;
    let offset = node?.range?.[0];
    for (const segment of path) {
        if (isMap(node)) {
            const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
            if (pair === undefined) {
                break;
            }

            offset = pair.key.range?.[0] ?? offset;
            node = pair.value;
        } else if (isSeq(node)) {
            node = node.items[Number(segment)];
            if (node === undefined) {
                break;
            }

            offset = node.range?.[0] ?? offset;
        } else {
            break;
        }
    }

    return offset;
}

// Classes are not hoisted: everything is declared before main runs, at the end.
process.exitCode = await main();
