#!/usr/bin/env node
// Reads a `helm template` rendering of charts/zookeeper and prints, as bash assignments, what
// tests/chart/ensemble-test needs to run the pods as a container runtime would: the ZooKeeper container's
// command, args and env, its volume mounts, its security context and its probes, and the same for the
// `helm test` pod. Env values from fieldRef are written as @POD_NAME@, @POD_NAMESPACE@, @POD_IP@ for the
// test to fill in per pod; any other valueFrom is refused (the test could not reproduce it).
// Usage: node tests/chart/pod-plan.mjs RENDERED.yaml
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const YAML = (await import(pathToFileURL(path.join(root, ".tools/npm/node_modules/yaml/dist/index.js")).href)).default;
const objects = YAML.parseAllDocuments(fs.readFileSync(process.argv[2], "utf8")).map((d) => d.toJS()).filter(Boolean);

const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const arr = (name, items) => console.log(`${name}=(${items.map(q).join(" ")})`);
const scalar = (name, value) => console.log(`${name}=${q(value ?? "")}`);
const die = (msg) => {
  console.error(`pod-plan: ${msg}`);
  process.exit(1);
};

const fieldRefs = { "metadata.name": "@POD_NAME@", "metadata.namespace": "@POD_NAMESPACE@", "status.podIP": "@POD_IP@" };
const envOf = (container) =>
  (container.env ?? []).map((e) => {
    if ("value" in e) return `${e.name}=${e.value}`;
    const ref = e.valueFrom?.fieldRef?.fieldPath;
    if (ref && fieldRefs[ref]) return `${e.name}=${fieldRefs[ref]}`;
    return die(`env ${e.name}: valueFrom ${JSON.stringify(e.valueFrom)} cannot be reproduced here`);
  });
// mountPath:volumeName:ro|rw, for volumes the test can give a folder (emptyDir, claims, ConfigMaps).
const mountsOf = (container, podSpec, claims) =>
  (container.volumeMounts ?? []).map((m) => {
    const volume = (podSpec.volumes ?? []).find((v) => v.name === m.name);
    let kind;
    if (claims.includes(m.name)) kind = "claim";
    else if (volume?.emptyDir) kind = "emptyDir";
    else if (volume?.configMap) kind = `configMap=${volume.configMap.name}`;
    else die(`volume ${m.name} is neither an emptyDir, a ConfigMap nor a claim`);
    return `${m.mountPath}:${m.name}:${m.readOnly ? "ro" : "rw"}:${kind}`;
  });
const probeOf = (probe) => {
  if (!probe) return [];
  if (probe.exec) return probe.exec.command;
  if (probe.httpGet) return [`http-get`, String(probe.httpGet.port), probe.httpGet.path];
  return die(`probe ${JSON.stringify(probe)} is neither exec nor httpGet`);
};

const sets = objects.filter((o) => o.kind === "StatefulSet");
if (sets.length !== 1) die(`expected one StatefulSet, found ${sets.length}`);
const sts = sets[0];
const podSpec = sts.spec.template.spec;
const c = podSpec.containers.find((x) => x.name === "zookeeper") ?? die("no zookeeper container");
const claims = (sts.spec.volumeClaimTemplates ?? []).map((t) => t.metadata.name);
const csc = c.securityContext ?? {};
const psc = podSpec.securityContext ?? {};
const ports = Object.fromEntries((c.ports ?? []).map((p) => [p.name, p.containerPort]));

scalar("fullname", sts.metadata.name);
scalar("headless", sts.spec.serviceName);
scalar("replicas", sts.spec.replicas);
arr("zk_command", [...(c.command ?? []), ...(c.args ?? [])]);
arr("zk_env", envOf(c));
arr("zk_mounts", mountsOf(c, podSpec, claims));
scalar("run_uid", csc.runAsUser ?? psc.runAsUser ?? 0);
scalar("run_gid", csc.runAsGroup ?? psc.runAsGroup ?? 0);
scalar("fs_group", psc.fsGroup ?? "");
scalar("read_only_root", csc.readOnlyRootFilesystem ? "yes" : "no");
scalar("drop_all", JSON.stringify(csc.capabilities?.drop ?? []) === '["ALL"]' ? "yes" : "no");
scalar("no_new_privs", csc.allowPrivilegeEscalation === false ? "yes" : "no");
arr("readiness", probeOf(c.readinessProbe));
arr("liveness", probeOf(c.livenessProbe));
arr("startup", probeOf(c.startupProbe));
scalar("readiness_timeout", c.readinessProbe?.timeoutSeconds ?? 1);
scalar("liveness_timeout", c.livenessProbe?.timeoutSeconds ?? 1);
scalar("startup_timeout", c.startupProbe?.timeoutSeconds ?? 1);
scalar("health_port", ports.health ?? "");
scalar("client_port", ports.client ?? die("no client port"));

const clientSvc = objects.find((o) => o.kind === "Service" && o.metadata.name === sts.metadata.name) ?? die("no client Service");
scalar("client_service", clientSvc.metadata.name);
scalar("client_service_port", clientSvc.spec.ports[0].port);

const test = objects.find((o) => o.kind === "Pod" && o.metadata.annotations?.["helm.sh/hook"] === "test");
if (test) {
  const tc = test.spec.containers[0];
  scalar("test_pod", test.metadata.name);
  arr("test_command", [...(tc.command ?? []), ...(tc.args ?? [])]);
  arr("test_env", envOf(tc));
  arr("test_mounts", mountsOf(tc, test.spec, []));
  scalar("test_uid", tc.securityContext?.runAsUser ?? test.spec.securityContext?.runAsUser ?? 0);
  scalar("test_gid", tc.securityContext?.runAsGroup ?? test.spec.securityContext?.runAsGroup ?? 0);
} else {
  scalar("test_pod", "");
}
