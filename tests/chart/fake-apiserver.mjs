#!/usr/bin/env node
// A Kubernetes API server stand-in on 127.0.0.1 for `helm template --dry-run=server`, so the chart's `lookup`
// of the running StatefulSet (the ensemble-size guard) can be tested without a cluster. It answers only what
// helm asks for lookup and a client-side dry run: discovery (/version, /api, /apis, apps/v1), and GET of one StatefulSet, served from the file named by
// the first argument when that file exists (404 otherwise). The file is read on every request, so a test can
// change the "cluster" between helm runs. Prints the port it listens on, then serves until killed.
import fs from "node:fs";
import http from "node:http";

const fixture = process.argv[2];
if (!fixture) {
  console.error("usage: fake-apiserver.mjs STATEFULSET_JSON_FILE");
  process.exit(2);
}

// Discovery for the kinds the chart renders (helm maps each object to a resource in a dry run).
const kinds = {
  v1: [["services", "Service"], ["pods", "Pod"], ["configmaps", "ConfigMap"], ["serviceaccounts", "ServiceAccount"]],
  "apps/v1": [["statefulsets", "StatefulSet"]],
  "policy/v1": [["poddisruptionbudgets", "PodDisruptionBudget"]],
  "networking.k8s.io/v1": [["networkpolicies", "NetworkPolicy"]],
  "monitoring.coreos.com/v1": [["servicemonitors", "ServiceMonitor"]],
};
const resourceList = (groupVersion) => ({
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion,
  resources: kinds[groupVersion].map(([name, kind]) => ({
    name,
    singularName: kind.toLowerCase(),
    namespaced: true,
    kind,
    verbs: ["get", "list", "create", "update", "patch", "delete"],
  })),
});
const groups = Object.keys(kinds)
  .filter((gv) => gv.includes("/"))
  .map((groupVersion) => {
    const [name, version] = groupVersion.split("/");
    return { name, versions: [{ groupVersion, version }], preferredVersion: { groupVersion, version } };
  });
const notFound = (what) => ({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: `${what} not found` });

const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  const send = (code, body) => {
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method !== "GET") return send(405, { kind: "Status", code: 405 });
  if (url.pathname === "/version") return send(200, { major: "1", minor: "33", gitVersion: "v1.33.0" });
  if (url.pathname === "/api") return send(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
  if (url.pathname === "/apis") return send(200, { kind: "APIGroupList", apiVersion: "v1", groups });
  if (url.pathname === "/api/v1") return send(200, resourceList("v1"));
  const gv = /^\/apis\/([^/]+\/[^/]+)$/.exec(url.pathname);
  if (gv && kinds[gv[1]]) return send(200, resourceList(gv[1]));
  const m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/statefulsets\/([^/]+)$/.exec(url.pathname);
  if (m) {
    let sts = null;
    try {
      sts = JSON.parse(fs.readFileSync(fixture, "utf8"));
    } catch {
      // no file: no StatefulSet in the "cluster"
    }
    if (sts && sts.metadata?.namespace === m[1] && sts.metadata?.name === m[2]) return send(200, sts);
    return send(404, notFound(`statefulsets.apps "${m[2]}"`));
  }
  return send(404, notFound(url.pathname));
});
server.listen(0, "127.0.0.1", () => {
  console.log(server.address().port);
});
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
