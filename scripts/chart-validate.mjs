#!/usr/bin/env node
// Checks one `helm template` rendering of charts/zookeeper:
//  1. every object against the Kubernetes schemas (kubernetes-models; ServiceMonitor through
//     @kubernetes-models/prometheus-operator); an object of a kind it has no schema for is an error;
//  2. assertions: probes call zkagent with the client port and a deadline below timeoutSeconds, the server
//     list and ports agree across Services, StatefulSet and zoo.cfg, the security context is set, values
//     reach the container;
//  3. the rendered `zkagent start` arguments and environment, run through the real binary's `zkagent config`
//     for every pod (folders mapped to a temp dir), give the zoo.cfg and myid the values ask for.
// Usage: node scripts/chart-validate.mjs --rendered FILE --release NAME --namespace NS --zkagent BIN
//        [--values FILE]...     (the values files the rendering used, in order)
// Prints one line per check group; exits 1 with every failure listed.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const modules = path.join(root, ".tools/npm/node_modules");
const chartDir = path.join(root, "charts/zookeeper");

const args = { values: [] };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  const value = process.argv[i + 1];
  if (value === undefined) throw new Error(`${process.argv[i]} needs a value`);
  if (key === "values") args.values.push(value);
  else args[key] = value;
}
for (const required of ["rendered", "release", "namespace", "zkagent"]) {
  if (!args[required]) {
    console.error(`chart-validate: --${required} is required`);
    process.exit(2);
  }
}

const load = async (file) => import(pathToFileURL(path.join(modules, file)).href);
let YAML;
try {
  YAML = (await load("yaml/dist/index.js")).default;
} catch (e) {
  console.error(`chart-validate: the npm packages are missing under ${modules} (run scripts/chart-tools): ${e.message}`);
  process.exit(2);
}

const failures = [];
const fail = (what) => failures.push(what);
const check = (condition, what) => {
  if (!condition) fail(what);
  return condition;
};

// ---- the values the rendering used: the chart's defaults with each values file merged over them (helm's rules:
// maps merge, anything else replaces, null deletes).
function merge(base, over) {
  if (over === null || typeof over !== "object" || Array.isArray(over)) return over;
  const out = base && typeof base === "object" && !Array.isArray(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = merge(out[k], v);
  }
  return out;
}
let values = YAML.parse(fs.readFileSync(path.join(chartDir, "values.yaml"), "utf8"));
for (const file of args.values) values = merge(values, YAML.parse(fs.readFileSync(file, "utf8")) ?? {});

// ---- 1. schemas.
const docs = YAML.parseAllDocuments(fs.readFileSync(args.rendered, "utf8"), { uniqueKeys: true, strict: true });
const objects = [];
for (const doc of docs) {
  if (doc.errors.length) {
    fail(`YAML error: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const obj = doc.toJS();
  if (obj === null || obj === undefined) continue;
  objects.push(obj);
}
const modelFile = (apiVersion, kind) => {
  if (apiVersion === "monitoring.coreos.com/v1") {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}.js`;
  }
  return `kubernetes-models/${apiVersion}/${kind}.js`;
};
let validated = 0;
for (const obj of objects) {
  const id = `${obj.kind}/${obj.metadata?.name}`;
  if (!obj.apiVersion || !obj.kind) {
    fail(`an object without apiVersion or kind: ${JSON.stringify(obj).slice(0, 80)}`);
    continue;
  }
  const file = modelFile(obj.apiVersion, obj.kind);
  if (!fs.existsSync(path.join(modules, file))) {
    fail(`${id}: no schema for ${obj.apiVersion} ${obj.kind} (${file})`);
    continue;
  }
  const Model = (await load(file))[obj.kind];
  try {
    new Model(obj).validate();
    validated++;
  } catch (e) {
    fail(`${id} (${obj.apiVersion}) does not match the Kubernetes schema: ${e.message}`);
  }
}
console.log(`schemas: ${validated} of ${objects.length} objects valid (${[...new Set(objects.map((o) => o.kind))].join(", ")})`);

// ---- 2. assertions on the rendered objects.
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const one = (kind, name) => objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
// JSON with keys sorted, to compare objects whatever order helm's toYaml gave them.
const canon = (v) => JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const chart = YAML.parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8"));
const asserted = failures.length;

const sts = byKind("StatefulSet");
check(sts.length === 1, `expected one StatefulSet, found ${sts.length}`);
const set = sts[0];
const fullname = set.metadata.name;
const pod = set.spec.template;
const podSpec = pod.spec;
const container = podSpec.containers.find((c) => c.name === "zookeeper");
check(container, "the StatefulSet has no container named zookeeper");
const podCount = values.replicaCount + values.observers;
const argMap = new Map();
for (const arg of container.args ?? []) {
  const m = /^--([^=]+)=(.*)$/s.exec(arg);
  if (check(m, `argument ${JSON.stringify(arg)} is not --name=value`)) {
    check(!argMap.has(m[1]), `--${m[1]} is rendered twice`);
    argMap.set(m[1], m[2]);
  }
}
const expectArg = (flag, expected) =>
  check(argMap.get(flag) === String(expected), `--${flag}: expected ${JSON.stringify(String(expected))}, rendered ${JSON.stringify(argMap.get(flag))}`);
const env = Object.fromEntries((container.env ?? []).filter((e) => "value" in e).map((e) => [e.name, e.value]));

// The command and the values that reach it.
check(JSON.stringify(container.command) === JSON.stringify(["zkagent", "start"]), `command: ${JSON.stringify(container.command)}`);
const tag = values.image.tag || chart.appVersion;
const repo = values.image.registry ? `${values.image.registry}/${values.image.repository}` : values.image.repository;
check(container.image === (values.image.digest ? `${repo}@${values.image.digest}` : `${repo}:${tag}`), `image: ${container.image}`);
check(container.imagePullPolicy === values.image.pullPolicy, `imagePullPolicy: ${container.imagePullPolicy}`);
expectArg("servers", values.replicaCount);
if (values.observers > 0) expectArg("observers", values.observers);
else check(!argMap.has("observers"), "--observers rendered with observers=0");
expectArg("myid-offset", values.minServerId);
expectArg("client-port", values.containerPorts.client);
expectArg("server-port", values.containerPorts.follower);
expectArg("election-port", values.containerPorts.election);
expectArg("tick-time", values.tickTime);
expectArg("init-limit", values.initLimit);
expectArg("sync-limit", values.syncLimit);
expectArg("max-client-cnxns", values.maxClientCnxns);
expectArg("snap-retain-count", values.autopurge.snapRetainCount);
expectArg("purge-interval", values.autopurge.purgeInterval);
expectArg("4lw-commands-whitelist", values.fourlwCommandsWhitelist);
expectArg("log-level", values.logLevel);
expectArg("agent-log-level", values.agentLogLevel);
expectArg("quorum-listen-on-all-ips", values.listenOnAllIPs);
expectArg("admin-server-enabled", values.adminServer.enabled);
if (values.minSessionTimeout) expectArg("min-session-timeout", values.minSessionTimeout);
if (values.maxSessionTimeout) expectArg("max-session-timeout", values.maxSessionTimeout);
if (String(values.heapSize)) expectArg("heap", values.heapSize);
else check(!argMap.has("heap"), "--heap rendered with heapSize empty");
if (values.health.enabled) expectArg("health-port", values.containerPorts.health);
else check(!argMap.has("health-port"), "--health-port rendered with health.enabled=false");
if (values.jvmFlags) check(env.JVMFLAGS === values.jvmFlags, `JVMFLAGS: ${env.JVMFLAGS}`);
const extraKeys = Object.keys(values.extraConfig ?? {});
if (extraKeys.length) {
  const want = extraKeys.sort().map((k) => `${k}=${values.extraConfig[k]}`).join(" ");
  check(env.ZOO_CFG_EXTRA === want, `ZOO_CFG_EXTRA: expected ${JSON.stringify(want)}, rendered ${JSON.stringify(env.ZOO_CFG_EXTRA)}`);
}
for (const e of values.extraEnvVars ?? []) {
  check((container.env ?? []).some((r) => r.name === e.name), `extraEnvVars ${e.name} missing from the container`);
}
const expectedDomain = values.clusterDomain ? `${fullname}-headless.${args.namespace}.svc.${values.clusterDomain}` : undefined;
check(argMap.get("domain") === expectedDomain, `--domain: ${argMap.get("domain")} (clusterDomain ${JSON.stringify(values.clusterDomain)})`);

// Folders: every folder zkagent writes is a volume (the root filesystem is read-only).
const mounts = new Map((container.volumeMounts ?? []).map((m) => [m.mountPath, m]));
const volumes = new Map((podSpec.volumes ?? []).map((v) => [v.name, v]));
const claims = new Map((set.spec.volumeClaimTemplates ?? []).map((c) => [c.metadata.name, c]));
for (const flag of ["conf-dir", "data-dir", "data-log-dir", "log-dir"]) {
  const dir = argMap.get(flag);
  const mount = [...mounts.keys()].find((p) => dir === p || dir?.startsWith(`${p}/`));
  if (check(mount, `--${flag}=${dir} is on no volume`)) {
    const name = mounts.get(mount).name;
    check(volumes.has(name) || claims.has(name), `--${flag}: volume ${name} is neither a volume nor a claim template`);
    check(!mounts.get(mount).readOnly, `--${flag}: ${mount} is mounted read-only`);
  }
}
check(mounts.has("/tmp"), "/tmp is not a volume (the JVM writes there)");
for (const [name, v] of volumes) check(!claims.has(name), `volume ${name} is both a pod volume and a claim template`);
for (const m of mounts.values()) check(volumes.has(m.name) || claims.has(m.name), `volumeMount ${m.name} has no volume`);
if (values.persistence.enabled) {
  check(claims.has("data") && !volumes.has("data"), "persistence.enabled: data must be a claim template");
  const dataClaim = claims.get("data");
  check(dataClaim?.spec.resources.requests.storage === values.persistence.size, `data claim size ${dataClaim?.spec.resources.requests.storage}`);
  const sc = values.persistence.storageClass;
  check(dataClaim?.spec.storageClassName === (sc === "-" ? "" : sc || undefined), `data claim storageClassName ${dataClaim?.spec.storageClassName}`);
  for (const claim of claims.values()) {
    for (const key of Object.keys(claim.metadata.labels ?? {})) {
      check(!/helm.sh\/chart|app.kubernetes.io\/version/.test(key), `claim template ${claim.metadata.name} has label ${key}: claim templates cannot change on upgrade`);
    }
  }
  if (values.persistence.dataLogDir.enabled) {
    check(claims.has("datalog") && argMap.get("data-log-dir") === "/datalog", "persistence.dataLogDir.enabled: a datalog claim mounted at --data-log-dir=/datalog");
  } else {
    check(!claims.has("datalog") && argMap.get("data-log-dir") === "/data/log", "the transaction log must be on the data volume (/data/log)");
  }
} else {
  check(volumes.get("data")?.emptyDir && claims.size === 0, "persistence.enabled=false: data must be an emptyDir and no claims");
}
const template = values.existingConfigmap || values.configuration;
if (template) {
  const m = mounts.get("/config-template");
  check(m?.readOnly === true, "the zoo.cfg template must be mounted read-only at /config-template");
  expectArg("config-template", "/config-template/zoo.cfg");
  const cmName = values.existingConfigmap || `${fullname}-config-template`;
  check(volumes.get(m?.name)?.configMap?.name === cmName, `config-template volume from ConfigMap ${cmName}`);
  if (values.configuration) check(one("ConfigMap", cmName)?.data?.["zoo.cfg"], `ConfigMap ${cmName} with zoo.cfg not rendered`);
  else check(!one("ConfigMap"), "existingConfigmap: the chart must not render its own ConfigMap");
} else {
  check(!argMap.has("config-template") && !mounts.has("/config-template"), "config template rendered without configuration or existingConfigmap");
}

// Ports: container ports, Services and NetworkPolicy agree.
const portsByName = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));
check(portsByName.get("client") === values.containerPorts.client, "container port client");
check(portsByName.get("follower") === values.containerPorts.follower, "container port follower");
check(portsByName.get("election") === values.containerPorts.election, "container port election");
check(portsByName.has("health") === values.health.enabled, "container port health iff health.enabled");
if (values.health.enabled) check(portsByName.get("health") === values.containerPorts.health, "container port health");
check(portsByName.has("admin") === values.adminServer.enabled, "container port admin iff adminServer.enabled");
const labels = pod.metadata.labels;
const services = byKind("Service");
for (const svc of services) {
  check(matches(svc.spec.selector, labels), `Service ${svc.metadata.name} does not select the members`);
  for (const p of svc.spec.ports) {
    check(portsByName.has(p.targetPort), `Service ${svc.metadata.name} port ${p.name} targets ${p.targetPort}, not a container port`);
  }
}
const headless = one("Service", `${fullname}-headless`);
if (check(headless, "no headless Service")) {
  check(headless.spec.clusterIP === "None", "headless Service clusterIP must be None");
  check(headless.spec.publishNotReadyAddresses === true, "headless Service must publish not-ready addresses");
  check(set.spec.serviceName === headless.metadata.name, "StatefulSet serviceName must be the headless Service");
  const hp = Object.fromEntries(headless.spec.ports.map((p) => [p.targetPort, p.port]));
  check(hp.client === values.containerPorts.client && hp.follower === values.containerPorts.follower && hp.election === values.containerPorts.election,
    `headless Service ports ${JSON.stringify(hp)}`);
}
const client = one("Service", fullname);
if (check(client, "no client Service")) {
  check(client.spec.type === values.service.type, "client Service type");
  check(client.spec.ports[0].port === values.service.ports.client && client.spec.ports[0].targetPort === "client", "client Service port");
  check(!client.spec.publishNotReadyAddresses, "the client Service must not publish not-ready members");
}
check(set.spec.selector.matchLabels && matches(set.spec.selector.matchLabels, labels), "StatefulSet selector does not match its pods");
check(set.spec.replicas === podCount, `replicas ${set.spec.replicas}, expected replicaCount + observers = ${podCount}`);
check(set.spec.podManagementPolicy === values.podManagementPolicy, "podManagementPolicy");
check(set.spec.updateStrategy.type === (values.ensemble.allowResize ? "OnDelete" : values.updateStrategy.type), `updateStrategy ${set.spec.updateStrategy.type}`);
check(set.metadata.annotations?.["zookeeper.zkagent.io/ensemble"] === `servers=${values.replicaCount},observers=${values.observers},minServerId=${values.minServerId}`,
  "the ensemble annotation the resize guard compares");
for (const o of objects) {
  const l = o.metadata.labels ?? {};
  for (const k of ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by", "helm.sh/chart"]) {
    check(l[k], `${o.kind}/${o.metadata.name} has no ${k} label`);
  }
  for (const [k, v] of Object.entries(values.commonLabels ?? {})) {
    if (o.kind !== "Pod") check(l[k] === v, `${o.kind}/${o.metadata.name} lacks commonLabels ${k}`);
  }
  if (o.kind !== "Pod" && o.kind !== "StatefulSet") {
    check(o.metadata.namespace === (o.kind === "ServiceMonitor" && values.metrics.serviceMonitor.namespace ? values.metrics.serviceMonitor.namespace : args.namespace),
      `${o.kind}/${o.metadata.name} namespace ${o.metadata.namespace}`);
  }
}
for (const k of ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "helm.sh/chart"]) {
  check(labels[k], `pod template has no ${k} label`);
}
check(labels["app.kubernetes.io/version"] === tag, `app.kubernetes.io/version ${labels["app.kubernetes.io/version"]}`);

const pdb = one("PodDisruptionBudget");
if (values.pdb.create) {
  if (check(pdb, "no PodDisruptionBudget")) {
    check(pdb.spec.maxUnavailable === values.pdb.maxUnavailable, "PDB maxUnavailable");
    check(pdb.spec.unhealthyPodEvictionPolicy === (values.pdb.unhealthyPodEvictionPolicy || undefined), "PDB unhealthyPodEvictionPolicy");
    check(matches(pdb.spec.selector.matchLabels, labels), "PDB does not select the members");
  }
} else check(!pdb, "PDB rendered with pdb.create=false");

// Probes: exec `zkagent ready|live` on the client port with a deadline below timeoutSeconds, or httpGet.
const probeChecks = [["startupProbe", "live", "/livez"], ["livenessProbe", "live", "/livez"], ["readinessProbe", "ready", "/readyz"]];
for (const [name, verb, route] of probeChecks) {
  const probe = container[name];
  const want = values[name];
  if (!want.enabled) {
    check(!probe, `${name} rendered although disabled`);
    continue;
  }
  if (!check(probe, `${name} missing`)) continue;
  for (const k of ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"]) {
    check(probe[k] === want[k], `${name}.${k}: ${probe[k]}, values ${want[k]}`);
  }
  if (values.health.httpProbes) {
    check(probe.httpGet?.path === route && probe.httpGet?.port === "health" && !probe.exec, `${name}: httpGet ${route} on the health port`);
  } else {
    const cmd = probe.exec?.command ?? [];
    check(cmd[0] === "zkagent" && cmd[1] === verb, `${name} must exec zkagent ${verb}: ${JSON.stringify(cmd)}`);
    check(cmd.includes(`--port=${values.containerPorts.client}`), `${name} must probe the client port ${values.containerPorts.client}`);
    const deadline = cmd.find((c) => c.startsWith("--timeout="));
    const ms = Number(/^--timeout=(\d+)ms$/.exec(deadline ?? "")?.[1]);
    check(ms > 0 && ms < want.timeoutSeconds * 1000, `${name} deadline ${deadline} must be below timeoutSeconds ${want.timeoutSeconds}`);
  }
}

// Security.
const psc = podSpec.securityContext ?? {};
const csc = container.securityContext ?? {};
if (values.podSecurityContext.enabled) {
  check(psc.runAsNonRoot === true && psc.runAsUser === 1000 && psc.runAsGroup === 1000 && psc.fsGroup === 1000, `pod securityContext ${JSON.stringify(psc)}`);
  check(psc.seccompProfile?.type === "RuntimeDefault", "pod seccompProfile RuntimeDefault");
}
if (values.containerSecurityContext.enabled) {
  check(csc.readOnlyRootFilesystem === true && csc.allowPrivilegeEscalation === false && csc.runAsNonRoot === true, `container securityContext ${JSON.stringify(csc)}`);
  check(JSON.stringify(csc.capabilities?.drop) === JSON.stringify(["ALL"]), "capabilities: drop ALL");
  check(csc.seccompProfile?.type === "RuntimeDefault", "container seccompProfile RuntimeDefault");
}
check(podSpec.automountServiceAccountToken === false, "automountServiceAccountToken must be false");
check(podSpec.enableServiceLinks === false, "enableServiceLinks must be false");

// Scheduling.
const anti = podSpec.affinity?.podAntiAffinity;
if (Object.keys(values.affinity ?? {}).length === 0) {
  if (values.podAntiAffinityPreset === "soft") {
    const term = anti?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm;
    check(term && matches(term.labelSelector.matchLabels, labels) && !anti.requiredDuringSchedulingIgnoredDuringExecution, "soft anti-affinity");
  } else if (values.podAntiAffinityPreset === "hard") {
    const term = anti?.requiredDuringSchedulingIgnoredDuringExecution?.[0];
    check(term && matches(term.labelSelector.matchLabels, labels) && term.topologyKey === "kubernetes.io/hostname", "hard anti-affinity");
  } else check(!anti, "anti-affinity rendered without a preset");
}
for (const c of podSpec.topologySpreadConstraints ?? []) {
  check(c.labelSelector && (c.labelSelector.matchExpressions || matches(c.labelSelector.matchLabels, labels)), "topology spread constraint without a selector of the members");
}
check((podSpec.topologySpreadConstraints ?? []).length === (values.topologySpreadConstraints ?? []).length, "topologySpreadConstraints");
check(canon(podSpec.nodeSelector ?? {}) === canon(values.nodeSelector ?? {}), "nodeSelector");
check(canon(podSpec.tolerations ?? []) === canon(values.tolerations ?? []), "tolerations");
check((podSpec.priorityClassName ?? "") === values.priorityClassName, "priorityClassName");
check(canon(container.resources ?? {}) === canon(values.resources ?? {}), "resources");

// Optional objects.
const metricsSvc = one("Service", `${fullname}-metrics`);
check(Boolean(metricsSvc) === values.metrics.enabled, "metrics Service iff metrics.enabled");
const sm = one("ServiceMonitor");
check(Boolean(sm) === (values.metrics.enabled && values.metrics.serviceMonitor.enabled), "ServiceMonitor iff metrics.serviceMonitor.enabled");
if (sm && metricsSvc) {
  check(matches(sm.spec.selector.matchLabels, metricsSvc.metadata.labels), "ServiceMonitor does not select the metrics Service");
  for (const other of services.filter((s) => s !== metricsSvc)) {
    check(!matches(sm.spec.selector.matchLabels, other.metadata.labels), `ServiceMonitor also selects ${other.metadata.name}`);
  }
  check(sm.spec.endpoints[0].port === metricsSvc.spec.ports[0].name, "ServiceMonitor endpoint port name");
}
const np = one("NetworkPolicy");
check(Boolean(np) === values.networkPolicy.enabled, "NetworkPolicy iff networkPolicy.enabled");
if (np) {
  check(matches(np.spec.podSelector.matchLabels, labels), "NetworkPolicy does not select the members");
  const peers = np.spec.ingress[0];
  check(matches(peers.from[0].podSelector.matchLabels, labels), "NetworkPolicy: members reach each other");
  const peerPorts = peers.ports.map((p) => p.port).sort();
  check(JSON.stringify(peerPorts) === JSON.stringify([values.containerPorts.client, values.containerPorts.follower, values.containerPorts.election].sort()), "NetworkPolicy peer ports");
  const clients = np.spec.ingress[1];
  check(clients.ports.length === 1 && clients.ports[0].port === values.containerPorts.client, "NetworkPolicy: clients only on the client port");
  check(Boolean(clients.from) === !values.networkPolicy.allowExternal, "NetworkPolicy: client sources iff allowExternal=false");
}
const testPod = objects.find((o) => o.kind === "Pod" && o.metadata.annotations?.["helm.sh/hook"] === "test");
check(Boolean(testPod) === values.tests.enabled, "helm test pod iff tests.enabled");
if (testPod) {
  for (const svc of services) check(!matches(svc.spec.selector, testPod.metadata.labels), `Service ${svc.metadata.name} selects the test pod`);
  const tenv = Object.fromEntries(testPod.spec.containers[0].env.map((e) => [e.name, e.value]));
  check(tenv.ZK_SERVER === `${fullname}:${values.service.ports.client}`, `test pod server ${tenv.ZK_SERVER}`);
  check(testPod.metadata.labels[`${fullname}-client`] === "true", "test pod lacks the client label the NetworkPolicy allows");
  check(testPod.spec.containers[0].securityContext?.readOnlyRootFilesystem !== false, "test pod security context");
}
console.log(`assertions: ${failures.length === asserted ? "all passed" : `${failures.length - asserted} failed`}`);

// ---- 3. the rendered command through the real zkagent: `zkagent config` per pod, folders in a temp dir.
const before = failures.length;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "chart-validate-"));
try {
  const domain = values.clusterDomain ? undefined : `${fullname}-headless.${args.namespace}.svc.cluster.local`;
  const dirMap = { "conf-dir": "conf", "data-dir": "data", "data-log-dir": "datalog", "log-dir": "logs" };
  const templateFile = path.join(work, "zoo.cfg.template");
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.endsWith("-config-template"));
  fs.writeFileSync(templateFile, cm ? cm.data["zoo.cfg"] : "# an existing ConfigMap's zoo.cfg\nsnapCount=50000\n");
  for (let ordinal = 0; ordinal < podCount; ordinal++) {
    const host = `${fullname}-${ordinal}`;
    const base = path.join(work, host);
    const runArgs = ["config"];
    for (const [flag, value] of argMap) {
      if (flag in dirMap) runArgs.push(`--${flag}=${path.join(base, dirMap[flag])}`);
      else if (flag === "config-template") runArgs.push(`--${flag}=${templateFile}`);
      else runArgs.push(`--${flag}=${value}`);
    }
    runArgs.push(`--hostname=${host}`);
    if (domain) runArgs.push(`--domain=${domain}`);
    let out;
    try {
      out = execFileSync(args.zkagent, runArgs, {
        env: { PATH: process.env.PATH, ...env },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      fail(`zkagent ${runArgs.join(" ")} failed (${e.status}): ${e.stderr}${e.stdout}`);
      continue;
    }
    const cfgText = fs.readFileSync(path.join(base, "conf/zoo.cfg"), "utf8");
    const cfg = Object.fromEntries(cfgText.split("\n").filter((l) => /^[^#].*=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    const id = ordinal + values.minServerId;
    check(fs.readFileSync(path.join(base, "data/myid"), "utf8").trim() === String(id), `${host}: myid`);
    check(cfg.clientPort === String(values.containerPorts.client), `${host}: clientPort ${cfg.clientPort}`);
    check(cfg.tickTime === String(values.tickTime) && cfg.initLimit === String(values.initLimit) && cfg.syncLimit === String(values.syncLimit), `${host}: tickTime/initLimit/syncLimit`);
    check(cfg["autopurge.purgeInterval"] === String(values.autopurge.purgeInterval) && cfg["autopurge.snapRetainCount"] === String(values.autopurge.snapRetainCount), `${host}: autopurge`);
    check(cfg["4lw.commands.whitelist"] === values.fourlwCommandsWhitelist, `${host}: 4lw.commands.whitelist`);
    check(cfg.maxClientCnxns === String(values.maxClientCnxns), `${host}: maxClientCnxns`);
    check(cfg.dataLogDir === path.join(base, dirMap["data-log-dir"]), `${host}: dataLogDir`);
    for (const k of extraKeys) check(cfg[k] === String(values.extraConfig[k]), `${host}: extraConfig ${k}=${cfg[k]}`);
    if (values.configuration) {
      for (const line of values.configuration.split("\n")) {
        const m = /^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/.exec(line);
        if (!m || m[1].startsWith("server.")) continue;
        const overridden = ["clientPort", "tickTime", "initLimit", "syncLimit", "maxClientCnxns", "dataDir", "dataLogDir"].includes(m[1]);
        if (!overridden && !extraKeys.includes(m[1])) check(cfg[m[1]] === m[2], `${host}: configuration key ${m[1]}=${m[2]} not in zoo.cfg (${cfg[m[1]]})`);
      }
    }
    // The members: one line per pod, the pods' DNS names under the headless Service, the chart's ports.
    const servers = Object.keys(cfg).filter((k) => k.startsWith("server.")).sort((a, b) => Number(a.slice(7)) - Number(b.slice(7)));
    check(servers.length === podCount, `${host}: ${servers.length} server lines, expected ${podCount}`);
    for (let i = 0; i < podCount; i++) {
      const key = `server.${i + values.minServerId}`;
      const dnsDomain = values.clusterDomain ? `${fullname}-headless.${args.namespace}.svc.${values.clusterDomain}` : domain;
      const role = i >= values.replicaCount ? ":observer" : "";
      const want = `${fullname}-${i}.${dnsDomain}:${values.containerPorts.follower}:${values.containerPorts.election}${role};${values.containerPorts.client}`;
      check(cfg[key] === want, `${host}: ${key}=${cfg[key]}, expected ${want}`);
    }
    check((cfg.peerType === "observer") === (ordinal >= values.replicaCount), `${host}: peerType ${cfg.peerType}`);
    if (values.heapSize) check(/heap: \d+ MiB: --heap/.test(out), `${host}: heap not from --heap: ${out}`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`zkagent config for ${podCount} pods: ${failures.length === before ? "zoo.cfg and myid as the values ask" : `${failures.length - before} failed`}`);

if (failures.length) {
  console.error(`\n${failures.length} failure(s):`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
